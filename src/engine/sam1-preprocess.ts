/**
 * SAM 1 image preprocessing (segment-anything `ResizeLongestSide` + `Sam.preprocess`). Pure.
 *
 * The longest side is resized to `size` keeping the aspect ratio, pixels are normalised per
 * channel on the 0…255 scale, and the result is padded bottom/right to size × size.
 */
import { type Normalisation, normalisationTables, normaliseToChw } from './chw-normalise.js';
import type { RgbImage } from './rgb-image.js';

export const SAM1_INPUT_SIZE = 1024;

const SAM1_NORMALISATION: Normalisation = {
  mean: [123.675, 116.28, 103.53],
  std: [58.395, 57.12, 57.375],
  scale: 1,
};

const TABLES = normalisationTables(SAM1_NORMALISATION);

/**
 * Size after "resize longest side to `size`", rounded like segment-anything's
 * `get_preprocess_shape` (`int(x + 0.5)`).
 * @example sam1ResizedSize(854, 480) // { width: 1024, height: 576 }
 */
export function sam1ResizedSize(
  width: number,
  height: number,
  size = SAM1_INPUT_SIZE,
): { width: number; height: number } {
  const scale = size / Math.max(width, height);
  return { width: Math.floor(width * scale + 0.5), height: Math.floor(height * scale + 0.5) };
}

/**
 * @param resized [h, w, 3] uint8, already at `sam1ResizedSize` of the original.
 * @returns the encoder input `input`: [1, 3, size, size] float32, zero-padded.
 */
export function sam1Preprocess(resized: RgbImage, size = SAM1_INPUT_SIZE): Float32Array {
  return normaliseToChw(resized, size, TABLES);
}
