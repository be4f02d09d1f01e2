/** Reading mask PNGs in CLI tests, through the engine's own codec (the one sharp user). */
import { readFile } from 'node:fs/promises';
import { decodeImage } from '../../src/engine/image-codec.js';

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 = grayscale, 2 = RGB, 3 = palette, 4 = gray+alpha, 6 = RGBA. */
  colorType: number;
}

/** IHDR straight from the bytes: the format promise is "8-bit, 1 channel", so check the file itself. */
export function pngHeader(png: Buffer): PngHeader {
  if (png.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('not a PNG');
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24] ?? -1,
    colorType: png[25] ?? -1,
  };
}

/** A mask as booleans (row-major), from any PNG (value > 127 = selected). */
export async function readMask(path: string): Promise<{ width: number; height: number; on: Uint8Array }> {
  const img = await decodeImage(await readFile(path), 100_000_000);
  const on = new Uint8Array(img.width * img.height);
  for (let i = 0; i < on.length; i++) on[i] = (img.data[i * 3] ?? 0) > 127 ? 1 : 0;
  return { width: img.width, height: img.height, on };
}

export function overlap(mask: Uint8Array, truth: Uint8Array): { intersection: number; selected: number } {
  let intersection = 0;
  let selected = 0;
  for (let i = 0; i < mask.length; i++) {
    intersection += mask[i] & truth[i];
    selected += mask[i];
  }
  return { intersection, selected };
}
