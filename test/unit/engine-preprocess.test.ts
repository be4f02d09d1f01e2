import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sam1Preprocess, sam1ResizedSize } from '../../src/engine/sam1-preprocess.js';
import { sam2Preprocess } from '../../src/engine/sam2-preprocess.js';

/** Golden float32 values: (v − mean) / std with SAM's 0…255 constants. */
const R0 = -2.1179039478302; // R = 0
const G128 = 0.20518207550048828; // G = 128
const B255 = 2.640000104904175; // B = 255
const R10 = -1.946656346321106;
const G20 = -1.6855741739273071;
const B30 = -1.2815686464309692;

const twoPixels = { data: Uint8Array.from([0, 128, 255, 10, 20, 30]), width: 2, height: 1 };

describe('sam1ResizedSize', () => {
  it('scales the longest side to the target, rounding half up', () => {
    assert.deepEqual(sam1ResizedSize(854, 480), { width: 1024, height: 576 }); // 575.53
    assert.deepEqual(sam1ResizedSize(480, 854), { width: 576, height: 1024 });
    assert.deepEqual(sam1ResizedSize(4, 2, 8), { width: 8, height: 4 });
    assert.deepEqual(sam1ResizedSize(3, 1, 8), { width: 8, height: 3 }); // 2.67
    assert.deepEqual(sam1ResizedSize(1920, 1080), { width: 1024, height: 576 });
    assert.deepEqual(sam1ResizedSize(1000, 1000), { width: 1024, height: 1024 });
  });
});

describe('sam1Preprocess', () => {
  it('normalises per channel into planar CHW and zero-pads bottom/right', () => {
    const out = sam1Preprocess(twoPixels, 3);
    assert.equal(out.length, 27);
    // channel planes of 3×3; row 0 holds the two pixels, everything else is padding (0)
    assert.deepEqual([...out.subarray(0, 9)], [R0, R10, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...out.subarray(9, 18)], [G128, G20, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual([...out.subarray(18, 27)], [B255, B30, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('keeps rows apart when the image is narrower than the square', () => {
    const img = { data: Uint8Array.from([0, 0, 0, 255, 255, 255]), width: 1, height: 2 };
    const out = sam1Preprocess(img, 2);
    assert.deepEqual([...out.subarray(0, 4)], [R0, 0, Math.fround((255 - 123.675) / 58.395), 0]);
  });

  it('refuses an image larger than the square', () => {
    assert.throws(() => sam1Preprocess(twoPixels, 1), /does not fit/);
  });
});

describe('sam2Preprocess', () => {
  it('applies ImageNet normalisation on 0…1 (numerically SAM 1’s constants ÷ 255), no padding', () => {
    const img = {
      data: Uint8Array.from([0, 128, 255, 10, 20, 30, 0, 128, 255, 10, 20, 30]),
      width: 2,
      height: 2,
    };
    const out = sam2Preprocess(img, 2);
    assert.deepEqual([...out], [R0, R10, R0, R10, G128, G20, G128, G20, B255, B30, B255, B30]);
  });

  it('insists on the square input size', () => {
    assert.throws(() => sam2Preprocess(twoPixels, 2), /expects a 2x2 image/);
  });
});
