/**
 * Mask logits → a binary mask. Pure, typed arrays only, no per-pixel allocation.
 *
 * Upsampling is bilinear with half-pixel centres (PyTorch `align_corners=False`, OpenCV
 * `INTER_LINEAR`, ONNX Resize `half_pixel`), the convention SAM's own postprocessing uses:
 * destination pixel x samples source coordinate (x + 0.5) · sw/dw − 0.5, clamped to the edges.
 */

/** Index of the highest score (the first on ties). */
export function selectBestMask(scores: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

/** Per destination index along one axis: the two source indices and the weight of the second. */
export interface AxisSampling {
  lo: Int32Array;
  hi: Int32Array;
  w: Float32Array;
}

export function axisSampling(srcLen: number, dstLen: number): AxisSampling {
  const lo = new Int32Array(dstLen);
  const hi = new Int32Array(dstLen);
  const w = new Float32Array(dstLen);
  const scale = srcLen / dstLen;
  for (let i = 0; i < dstLen; i++) {
    const src = Math.max(0, (i + 0.5) * scale - 0.5);
    const i0 = Math.min(Math.floor(src), srcLen - 1);
    lo[i] = i0;
    hi[i] = Math.min(i0 + 1, srcLen - 1);
    w[i] = src - i0;
  }
  return { lo, hi, w };
}

/**
 * Upsample logits and threshold in one pass, rows [rowFrom, rowTo) only, so a caller can split
 * a large image into bands and yield to the event loop between them. The full-size float plane
 * is never materialised (a 50 MP mask would need 200 MB of it); the tests hold this to a plain
 * bilinear reference with golden values.
 * @param src [sh, sw] float32 logits, read from `offset`.
 * @param out [dh, dw] uint8; written 255 where the interpolated logit > threshold, else 0.
 */
export function upsampleToMask(
  src: Float32Array,
  sw: number,
  sh: number,
  out: Uint8Array,
  dw: number,
  dh: number,
  opts: {
    offset?: number;
    threshold?: number;
    rowFrom?: number;
    rowTo?: number;
    xs?: AxisSampling;
    ys?: AxisSampling;
  } = {},
): void {
  const { offset = 0, threshold = 0, rowFrom = 0, rowTo = dh } = opts;
  const xs = opts.xs ?? axisSampling(sw, dw);
  const ys = opts.ys ?? axisSampling(sh, dh);
  for (let y = rowFrom; y < rowTo; y++) {
    const r0 = offset + ys.lo[y] * sw;
    const r1 = offset + ys.hi[y] * sw;
    const wy = ys.w[y];
    const o = y * dw;
    for (let x = 0; x < dw; x++) {
      const a = xs.lo[x];
      const b = xs.hi[x];
      const wx = xs.w[x];
      const top = src[r0 + a] + (src[r0 + b] - src[r0 + a]) * wx;
      const bottom = src[r1 + a] + (src[r1 + b] - src[r1 + a]) * wx;
      out[o + x] = top + (bottom - top) * wy > threshold ? 255 : 0;
    }
  }
}

/**
 * Threshold logits that are already at the output size (SAM 1's `masks`), one row band.
 * @param src [.., h, w] float32 logits; the chosen mask starts at `offset`.
 * @param out [h, w] uint8: 255 where logit > threshold.
 */
export function thresholdToMask(
  src: Float32Array,
  offset: number,
  out: Uint8Array,
  from = 0,
  to = out.length,
  threshold = 0,
): void {
  for (let i = from; i < to; i++) out[i] = src[offset + i] > threshold ? 255 : 0;
}
