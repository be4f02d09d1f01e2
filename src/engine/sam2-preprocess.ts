/**
 * SAM 2 image preprocessing (sam2 `SAM2Transforms`, samexporter's `prepare_input`). Pure.
 *
 * Unlike SAM 1 the image is stretched to size × size *without* keeping the aspect ratio, so
 * there is no padding; pixels go to 0…1 and get ImageNet normalisation.
 */
import { type Normalisation, normalisationTables, normaliseToChw } from './chw-normalise.js';
import type { RgbImage } from './rgb-image.js';

export const SAM2_INPUT_SIZE = 1024;

const SAM2_NORMALISATION: Normalisation = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  scale: 1 / 255,
};

const TABLES = normalisationTables(SAM2_NORMALISATION);

/**
 * @param resized [size, size, 3] uint8: the original stretched to a square.
 * @returns the encoder input `image`: [1, 3, size, size] float32.
 */
export function sam2Preprocess(resized: RgbImage, size = SAM2_INPUT_SIZE): Float32Array {
  if (resized.width !== size || resized.height !== size) {
    throw new Error(`SAM 2 expects a ${size}x${size} image, got ${resized.width}x${resized.height}`);
  }
  return normaliseToChw(resized, size, TABLES);
}
