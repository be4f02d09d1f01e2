import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectBestMask, thresholdToMask, upsampleToMask } from '../../src/engine/postprocess.js';

/**
 * The reference `upsampleToMask` is held to: a plain bilinear resize keeping the float values,
 * written straight from the half-pixel formula (destination x samples source (x + 0.5) · sw/dw
 * − 0.5, clamped to the edges) rather than from the engine's precomputed tables.
 * @param src [sh, sw] float32, read from `offset`.
 * @returns [dh, dw].
 */
function bilinearResize(
  src: Float32Array,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
  offset = 0,
): number[] {
  const sample = (i: number, srcLen: number, dstLen: number) => {
    const s = Math.max(0, (i + 0.5) * (srcLen / dstLen) - 0.5);
    const lo = Math.min(Math.floor(s), srcLen - 1);
    return { lo, hi: Math.min(lo + 1, srcLen - 1), w: s - lo };
  };
  const at = (x: number, y: number) => src[offset + y * sw + x] as number;
  const out: number[] = [];
  for (let y = 0; y < dh; y++) {
    const v = sample(y, sh, dh);
    for (let x = 0; x < dw; x++) {
      const u = sample(x, sw, dw);
      const top = at(u.lo, v.lo) * (1 - u.w) + at(u.hi, v.lo) * u.w;
      const bottom = at(u.lo, v.hi) * (1 - u.w) + at(u.hi, v.hi) * u.w;
      out.push(top * (1 - v.w) + bottom * v.w);
    }
  }
  return out;
}

describe('bilinear reference (half-pixel centres, like torch align_corners=False)', () => {
  it('upsamples 2×2 → 4×4 to the PyTorch golden values', () => {
    const out = bilinearResize(Float32Array.from([0, 1, 2, 3]), 2, 2, 4, 4);
    assert.deepEqual(out, [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  });

  it('downsamples with non-integer ratios', () => {
    assert.deepEqual(bilinearResize(Float32Array.from([0, 3, 6]), 3, 1, 2, 1), [0.75, 5.25]);
    assert.deepEqual(bilinearResize(Float32Array.from([0, 1, 2, 3]), 4, 1, 2, 1), [0.5, 2.5]);
  });

  it('reads the plane at an offset (mask k of a stack)', () => {
    const stack = Float32Array.from([9, 9, 9, 9, 0, 1, 2, 3]);
    assert.deepEqual(bilinearResize(stack, 2, 2, 1, 1, 4), [1.5]);
  });

  it('maps a 256² plane to a non-square original size', () => {
    const src = new Float32Array(256 * 256).map((_, i) => i % 256); // value = column
    const out = bilinearResize(src, 256, 256, 854, 480);
    assert.equal(out.length, 854 * 480);
    // column x samples source (x + 0.5) · 256/854 − 0.5
    for (const x of [0, 100, 427, 853]) {
      const expected = Math.min(255, Math.max(0, (x + 0.5) * (256 / 854) - 0.5));
      assert.ok(Math.abs((out[479 * 854 + x] as number) - expected) < 1e-4, `x=${x}`);
    }
  });
});

describe('upsampleToMask', () => {
  it('thresholds the same interpolated values at > 0', () => {
    const src = Float32Array.from([-1, 1, -1, 1]);
    const out = new Uint8Array(16);
    upsampleToMask(src, 2, 2, out, 4, 4);
    // interpolated columns: -1, -0.5, 0.5, 1
    assert.deepEqual([...out.subarray(0, 4)], [0, 0, 255, 255]);
    const exact = Float32Array.from([0, 0, 0, 0]);
    upsampleToMask(exact, 2, 2, out, 4, 4);
    assert.ok(
      out.every((v) => v === 0),
      '0 itself is not selected',
    );
  });

  it('selects exactly where the golden-tested reference is above 0', () => {
    // Seeded LCG, so the logits are random-looking but the same every run.
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed / 2 ** 31) * 8 - 4;
    };
    const src = Float32Array.from({ length: 2 * 16 * 16 }, rand);
    for (const [dw, dh] of [
      [37, 21],
      [64, 64],
      [9, 50],
    ]) {
      const out = new Uint8Array(dw * dh);
      upsampleToMask(src, 16, 16, out, dw, dh, { offset: 256 });
      const ref = bilinearResize(src, 16, 16, dw, dh, 256);
      assert.deepEqual(
        [...out],
        ref.map((v) => (v > 0 ? 255 : 0)),
        `${dw}×${dh}`,
      );
    }
  });

  it('writes only the requested row band', () => {
    const out = new Uint8Array(16);
    upsampleToMask(Float32Array.from([1, 1, 1, 1]), 2, 2, out, 4, 4, { rowFrom: 1, rowTo: 3 });
    assert.deepEqual([...out], [0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0]);
  });
});

describe('thresholdToMask', () => {
  it('selects logits > 0 from the chosen mask', () => {
    const out = new Uint8Array(3);
    thresholdToMask(Float32Array.from([5, 5, 5, -1, 0, 0.01]), 3, out);
    assert.deepEqual([...out], [0, 0, 255]);
  });
});

describe('selectBestMask', () => {
  it('picks the highest predicted IoU, the first on ties', () => {
    assert.equal(selectBestMask([0.5, 0.9, 0.7]), 1);
    assert.equal(selectBestMask([0.8]), 0);
    assert.equal(selectBestMask(Float32Array.from([0.3, 0.3, 0.1])), 0);
    assert.equal(selectBestMask([0.1, 0.2, 0.95]), 2);
  });
});
