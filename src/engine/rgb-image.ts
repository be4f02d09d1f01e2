/** Decoded pixels as the inference steps see them. */
export interface RgbImage {
  /** 8-bit RGB, interleaved HWC: pixel (x, y) channel c is `data[(y * width + x) * 3 + c]`. Length 3·W·H. */
  data: Uint8Array;
  width: number;
  height: number;
}
