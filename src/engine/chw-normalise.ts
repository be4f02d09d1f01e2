/**
 * RGB HWC uint8 → normalised planar CHW float32, zero-padded to a square. Pure; the shared hot
 * loop of both preprocessors.
 */
import type { RgbImage } from './rgb-image.js';

/** Per-channel mean and std, in the units of `scale × pixel` (pixel in 0…255). */
export interface Normalisation {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  /** Multiplier applied to the 0…255 value before (v − mean) / std: 1 for SAM 1, 1/255 for SAM 2. */
  scale: number;
}

/**
 * One 256-entry table per channel, so the per-pixel work is three lookups: no float maths, no
 * allocation. Values are computed in double precision and rounded once to float32, as
 * `((x * scale - mean) / std).astype(np.float32)` would.
 */
export function normalisationTables(n: Normalisation): [Float32Array, Float32Array, Float32Array] {
  const table = (c: 0 | 1 | 2) =>
    Float32Array.from({ length: 256 }, (_, v) => (v * n.scale - n.mean[c]) / n.std[c]);
  return [table(0), table(1), table(2)];
}

/**
 * @param image [H, W, 3] uint8 with W ≤ size and H ≤ size.
 * @returns [1, 3, size, size] float32 (flattened); pixels beyond W × H stay 0, i.e. padding
 *   with zeros *after* normalisation, as SAM pads.
 */
export function normaliseToChw(
  image: RgbImage,
  size: number,
  tables: readonly [Float32Array, Float32Array, Float32Array],
): Float32Array {
  const { data, width, height } = image;
  if (width > size || height > size)
    throw new Error(`image ${width}x${height} does not fit in ${size}x${size}`);
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  const [t0, t1, t2] = tables;
  for (let y = 0; y < height; y++) {
    let s = y * width * 3;
    const rowStart = y * size;
    const rowEnd = rowStart + width;
    for (let d = rowStart; d < rowEnd; d++, s += 3) {
      out[d] = t0[data[s]];
      out[plane + d] = t1[data[s + 1]];
      out[2 * plane + d] = t2[data[s + 2]];
    }
  }
  return out;
}
