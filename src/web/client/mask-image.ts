/**
 * Turning the API's grayscale mask PNG into things to draw: a coloured overlay, a pixel count
 * (which the browser tests assert on) and a transparent cut-out of the object.
 */

export interface DecodedMask {
  width: number;
  height: number;
  /** One byte per pixel, row-major: 1 = selected. */
  selected: Uint8Array;
  selectedCount: number;
  /** Smallest box holding every selected pixel, [x1, y1, x2, y2] inclusive; null when empty. */
  bounds: [number, number, number, number] | null;
  /** FNV-1a over `selected`, hex: lets a test compare the page's mask with the API's bit for bit. */
  digest: string;
}

/** RGBA of the overlay colour; drawn at partial opacity over the photo. */
const OVERLAY: [number, number, number] = [30, 144, 255];

export async function decodeMask(png: Blob): Promise<DecodedMask> {
  // No colour management or premultiplication: the mask's 0/255 values must arrive unchanged.
  const bitmap = await createImageBitmap(png, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const { width, height } = bitmap;
  const ctx = canvas2d(width, height);
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const selected = new Uint8Array(width * height);
  for (let i = 0; i < selected.length; i++) selected[i] = rgba[i * 4] >= 128 ? 1 : 0;
  return describeMask(width, height, selected);
}

/** Count, bounds and digest of a 0/1 mask (`selected`: width × height, row-major). */
export function describeMask(width: number, height: number, selected: Uint8Array): DecodedMask {
  let selectedCount = 0;
  let x1 = width;
  let y1 = height;
  let x2 = -1;
  let y2 = -1;
  let hash = 0x811c9dc5;
  for (let i = 0; i < selected.length; i++) {
    hash = Math.imul(hash ^ selected[i], 0x01000193);
    if (!selected[i]) continue;
    selectedCount++;
    const x = i % width;
    const y = (i - x) / width;
    if (x < x1) x1 = x;
    if (x > x2) x2 = x;
    if (y < y1) y1 = y;
    if (y > y2) y2 = y;
  }
  const bounds: DecodedMask['bounds'] = selectedCount > 0 ? [x1, y1, x2, y2] : null;
  return { width, height, selected, selectedCount, bounds, digest: (hash >>> 0).toString(16) };
}

/** Selected pixels in the overlay colour, the rest transparent; sized like the mask. */
export function overlayCanvas(mask: DecodedMask): HTMLCanvasElement {
  const ctx = canvas2d(mask.width, mask.height);
  const img = ctx.createImageData(mask.width, mask.height);
  for (let i = 0; i < mask.selected.length; i++) {
    if (!mask.selected[i]) continue;
    img.data.set(OVERLAY, i * 4);
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return ctx.canvas;
}

/** The photo with every unselected pixel transparent, as a PNG. */
export async function cutOut(image: CanvasImageSource, mask: DecodedMask): Promise<Blob> {
  const ctx = canvas2d(mask.width, mask.height);
  ctx.drawImage(image, 0, 0, mask.width, mask.height);
  const img = ctx.getImageData(0, 0, mask.width, mask.height);
  for (let i = 0; i < mask.selected.length; i++) if (!mask.selected[i]) img.data[i * 4 + 3] = 0;
  ctx.putImageData(img, 0, 0);
  return new Promise((resolve, reject) =>
    ctx.canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas export failed'))), 'image/png'),
  );
}

function canvas2d(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('2D canvas unavailable');
  return ctx;
}
