/**
 * Image bytes ⇄ pixels. The only module that imports `sharp` (libvips).
 *
 * Untrusted uploads pass three gates, cheapest first:
 *   1. magic bytes (`image-sniff.ts`): only JPEG/PNG/WebP reach libvips at all;
 *   2. the header (`probeImage`): dimensions are checked against the pixel limit before a single
 *      pixel is decoded, so a 50 KB "pixel flood" PNG claiming 20000×20000 costs microseconds;
 *   3. the decode (`decodeImage`, or `decodeProbed` after a probe): `failOn: 'error'` rejects truncated or corrupt data instead of
 *      silently returning a half-grey image, and `limitInputPixels` repeats the limit inside libvips.
 */
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../errors/app-error.js';
import { sniffImageFormat } from './image-sniff.js';
import type { RgbImage } from './rgb-image.js';
import type { ImageFormat, ImageInfo } from './types.js';

const SUPPORTED: ReadonlySet<string> = new Set<ImageFormat>(['jpeg', 'png', 'webp']);

/**
 * Transparent pixels are composited onto white. Cut-outs, logos and product shots with an alpha
 * channel are authored to be seen on a white page; on black, dark ink and shadows would merge
 * into the background and the model would see an object that nobody looking at the file sees.
 */
const FLATTEN_BACKGROUND = { r: 255, g: 255, b: 255 } as const;

/**
 * Read the header only and return the displayed size.
 * @throws AppError `unsupported_media_type` (GIF, TIFF, SVG, AVIF, …), `undecodable_image`
 *   (empty, not an image, corrupt header), `too_many_pixels` (width × height > maxPixels).
 * @example const { width, height } = await probeImage(bytes, 50_000_000);
 */
export async function probeImage(bytes: Uint8Array, maxPixels: number): Promise<ImageInfo> {
  if (bytes.length === 0) throw undecodable('The file is empty');
  const sniffed = sniffImageFormat(bytes);
  if (sniffed === null) throw undecodable('The file is not a JPEG, PNG or WebP image');
  if (!SUPPORTED.has(sniffed)) {
    throw new AppError(
      'unsupported_media_type',
      `Unsupported image type "${sniffed}"; send JPEG, PNG or WebP`,
      { field: 'file' },
    );
  }
  let meta: Metadata;
  try {
    // The limit is ours to check (below, with a clear message); libvips' own would throw first.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw undecodable(`The ${sniffed.toUpperCase()} header is corrupt or truncated`, err);
  }
  if (meta.format !== sniffed || !(meta.width > 0 && meta.height > 0)) {
    throw undecodable(`The file looks like ${sniffed.toUpperCase()} but its header is not valid`);
  }
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) {
    throw new AppError(
      'too_many_pixels',
      `Image is ${meta.width}x${meta.height} (${pixels} pixels); the limit is ${maxPixels} pixels`,
      { field: 'file' },
    );
  }
  // EXIF orientations 5–8 rotate by ±90°: the image people see is the stored one transposed.
  const transposed = (meta.orientation ?? 1) >= 5;
  return {
    format: sniffed as ImageFormat,
    width: transposed ? meta.height : meta.width,
    height: transposed ? meta.width : meta.height,
  };
}

/**
 * Decode to 8-bit RGB in displayed orientation (EXIF applied), alpha flattened onto
 * `FLATTEN_BACKGROUND`, any colour space (CMYK, grey, 16-bit, ICC) converted to sRGB.
 * @returns data [H, W, 3] uint8.
 * @throws the probe's codes, and `undecodable_image` when the pixel data is truncated or corrupt.
 */
export async function decodeImage(bytes: Uint8Array, maxPixels: number): Promise<RgbImage> {
  return decodeProbed(bytes, await probeImage(bytes, maxPixels), maxPixels);
}

/**
 * The decode gate for bytes that already passed `probeImage` (its answer is `info`), so a
 * caller that probed before queueing does not read the header twice. With `size`, decodes
 * straight to it in one libvips pipeline: a 24-megapixel photo for a 1024-pixel encoder is never
 * held at full size (JPEG shrink-on-load even skips most of the work). The resize is Lanczos-3,
 * like `resizeRgb`, and need not keep the aspect ratio.
 * @param size the wanted size; defaults to the displayed size.
 * @returns [size.height, size.width, 3] uint8, with the conversions of `decodeImage`.
 * @throws `undecodable_image` when the pixel data is truncated or corrupt.
 */
export async function decodeProbed(
  bytes: Uint8Array,
  info: ImageInfo,
  maxPixels: number,
  size: { width: number; height: number } = info,
): Promise<RgbImage> {
  try {
    let pipeline = sharp(bytes, { failOn: 'error', limitInputPixels: maxPixels }).autoOrient();
    if (size.width !== info.width || size.height !== info.height) {
      pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
    }
    const { data, info: out } = await pipeline
      .flatten({ background: FLATTEN_BACKGROUND })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (out.channels !== 3 || out.width !== size.width || out.height !== size.height) {
      throw new Error(
        `decoded to ${out.width}x${out.height}x${out.channels}, expected ${size.width}x${size.height}x3`,
      );
    }
    return { data, width: out.width, height: out.height };
  } catch (err) {
    throw undecodable(`The ${info.format.toUpperCase()} data is truncated or corrupt (${reason(err)})`, err);
  }
}

/**
 * Resample RGB to exactly width × height (aspect ratio is the caller's business).
 * Uses libvips' default Lanczos-3 kernel, which antialiases when shrinking large photos.
 * @returns data [height, width, 3] uint8.
 */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width, height };
}

/**
 * @param mask [height, width] uint8, one byte per pixel (0 or 255 for masks).
 * @returns an 8-bit single-channel grayscale PNG (colour type 0; sharp reports space 'b-w').
 */
export async function encodeGrayPng(mask: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (mask.length !== width * height)
    throw new Error(`mask has ${mask.length} bytes, expected ${width * height}`);
  return sharp(mask, { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6, adaptiveFiltering: false })
    .toBuffer();
}

function undecodable(message: string, cause?: unknown): AppError {
  return new AppError('undecodable_image', message, { field: 'file' }, { cause });
}

/** libvips' first line without its loader prefix, e.g. "premature end of JPEG image". */
function reason(err: unknown): string {
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return first.replace(/^[A-Za-z]*(?:jpeg|png|webp)[a-z]*:\s*/i, '').trim() || 'unknown error';
}
