/**
 * Reads one image pixel back from the stage for `window.__maskd.probe`: what is on screen,
 * what the photo alone has there, and the mask's bit. Lets a browser test check that the
 * overlay really is drawn where the mask says, rather than only that a canvas exists.
 */
import type { DecodedMask } from './mask-image.js';

export function probePixel(
  stage: CanvasRenderingContext2D,
  photo: CanvasImageSource,
  mask: DecodedMask | null,
  x: number,
  y: number,
): { shown: number[]; photo: number[]; selected: boolean } | null {
  const { width, height } = stage.canvas;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= width || y >= height)
    return null;
  const shown = [...stage.getImageData(x, y, 1, 1).data.subarray(0, 3)];
  const one = document.createElement('canvas');
  one.width = one.height = 1;
  const ctx = one.getContext('2d');
  if (!ctx) return null;
  ctx.drawImage(photo, x, y, 1, 1, 0, 0, 1, 1);
  const original = [...ctx.getImageData(0, 0, 1, 1).data.subarray(0, 3)];
  return { shown, photo: original, selected: mask ? mask.selected[y * mask.width + x] === 1 : false };
}
