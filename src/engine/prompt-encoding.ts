/**
 * Prompts (displayed-image pixels) → the decoders' `point_coords` / `point_labels`. Pure.
 *
 * Both families share SAM's sparse-prompt convention: clicks first with labels 1 (foreground)
 * or 0 (background), then a box as its two corners labelled 2 (top-left) and 3 (bottom-right).
 * Without a box one padding point (0, 0) labelled −1 is appended, as segment-anything's ONNX
 * example does: the decoder was trained to expect that "not a point" token when no box is given.
 */
import type { Prompts } from './types.js';

const LABEL_FOREGROUND = 1;
const LABEL_BOX_TOP_LEFT = 2;
const LABEL_BOX_BOTTOM_RIGHT = 3;
const LABEL_PADDING = -1;

export interface EncodedPrompts {
  /** [1, n, 2] float32: x, y per point in the model's input frame. */
  coords: Float32Array;
  /** [1, n] float32. */
  labels: Float32Array;
  /** Number of points n, including box corners and padding. */
  n: number;
}

/**
 * SAM 1: the image was resized so its longest side is `size`, so both axes scale by
 * size / max(W, H).
 * @example encodeSam1Prompts({ points: [[427, 240]], labels: [1], box: null }, 854, 480).coords
 *   // [512, 287.77…, 0, 0]
 */
export function encodeSam1Prompts(
  prompts: Prompts,
  width: number,
  height: number,
  size = 1024,
): EncodedPrompts {
  const s = size / Math.max(width, height);
  return encode(prompts, s, s);
}

/**
 * SAM 2: the image was stretched to size × size, so x scales by size / W and y by size / H.
 * @example encodeSam2Prompts({ points: [[427, 240]], labels: [1], box: null }, 854, 480).coords
 *   // [512, 512, 0, 0]
 */
export function encodeSam2Prompts(
  prompts: Prompts,
  width: number,
  height: number,
  size = 1024,
): EncodedPrompts {
  return encode(prompts, size / width, size / height);
}

function encode({ points, labels, box }: Prompts, sx: number, sy: number): EncodedPrompts {
  const n = points.length + (box === null ? 1 : 2);
  const coords = new Float32Array(2 * n); // padding point stays (0, 0)
  const out = new Float32Array(n);
  points.forEach(([x, y], i) => {
    coords[2 * i] = x * sx;
    coords[2 * i + 1] = y * sy;
    out[i] = labels[i] ?? LABEL_FOREGROUND;
  });
  const k = points.length;
  if (box === null) {
    out[k] = LABEL_PADDING;
  } else {
    coords.set([box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy], 2 * k);
    out[k] = LABEL_BOX_TOP_LEFT;
    out[k + 1] = LABEL_BOX_BOTTOM_RIGHT;
  }
  return { coords, labels: out, n };
}
