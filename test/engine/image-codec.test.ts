import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeImage,
  decodeProbed,
  encodeGrayPng,
  probeImage,
  resizeRgb,
} from '../../src/engine/image-codec.js';
import { isAppError } from '../../src/errors/app-error.js';
import { displayedPixel, displayedSize, ORIENTATIONS } from './fixtures/exif-orientation.js';
import {
  grayPng,
  markedImage,
  maskPixels,
  noise,
  pixelFloodPng,
  pngMetadata,
  rgb16Png,
  SVG,
  transparentPng,
  withOrientation,
} from './fixtures/test-images.js';

const LIMIT = 50_000_000;

/** Asserts an AppError with `code` whose message matches `msg`. */
async function rejectsWith(p: Promise<unknown>, code: string, msg?: RegExp) {
  await assert.rejects(p, (err) => {
    assert.ok(isAppError(err), `expected AppError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (msg) assert.match(err.message, msg);
    assert.equal(err.details.field, 'file');
    return true;
  });
}

describe('probeImage', () => {
  it('reads format and size of JPEG, PNG and WebP from the header', async () => {
    for (const format of ['jpeg', 'png', 'webp'] as const) {
      const img = await markedImage(40, 30, { left: 0, top: 0, width: 5, height: 5 }, format);
      assert.deepEqual(await probeImage(img, LIMIT), { format, width: 40, height: 30 });
    }
  });

  it('refuses GIF, TIFF, AVIF, SVG and HEIC as unsupported media types, naming the type', async () => {
    const rect = { left: 0, top: 0, width: 4, height: 4 };
    const cases: [string, Buffer][] = [
      ['gif', await markedImage(16, 16, rect, 'gif')],
      ['tiff', await markedImage(16, 16, rect, 'tiff')],
      ['avif', await markedImage(16, 16, rect, 'avif')],
      ['svg', SVG],
      // libvips here cannot write HEIC (no HEVC encoder), so hand-assemble the container start:
      // an ISO-BMFF `ftyp` box with brand "heic", as iPhones write it.
      [
        'heic',
        Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic'), noise(512)]),
      ],
    ];
    for (const [name, bytes] of cases) {
      await rejectsWith(
        probeImage(bytes, LIMIT),
        'unsupported_media_type',
        new RegExp(`^Unsupported image type "${name}"; send JPEG, PNG or WebP$`),
      );
    }
  });

  it('calls random bytes, empty files and corrupt headers undecodable', async () => {
    await rejectsWith(probeImage(noise(4096), LIMIT), 'undecodable_image', /not a JPEG, PNG or WebP/);
    await rejectsWith(probeImage(new Uint8Array(0), LIMIT), 'undecodable_image', /empty/);
    const jpeg = await markedImage(64, 64, { left: 0, top: 0, width: 4, height: 4 }, 'jpeg');
    await rejectsWith(probeImage(jpeg.subarray(0, 40), LIMIT), 'undecodable_image', /JPEG header/);
    const png = await markedImage(64, 64, { left: 0, top: 0, width: 4, height: 4 }, 'png');
    await rejectsWith(probeImage(png.subarray(0, 20), LIMIT), 'undecodable_image', /PNG header/);
  });

  it('rejects a 20000×20000 pixel-flood PNG from its header, in milliseconds', async () => {
    const flood = pixelFloodPng();
    assert.ok(flood.length < 150_000, `${flood.length} bytes`);
    const t0 = performance.now();
    await rejectsWith(
      probeImage(flood, LIMIT),
      'too_many_pixels',
      /20000x20000 \(400000000 pixels\); the limit is 50000000 pixels/,
    );
    await rejectsWith(decodeImage(flood, LIMIT), 'too_many_pixels');
    assert.ok(performance.now() - t0 < 200, `took ${performance.now() - t0} ms`);
  });

  it('rejects JPEG and WebP headers claiming too many pixels, without decoding them', async () => {
    // Small valid files whose headers are edited to claim a huge canvas: the probe must trust
    // the header and refuse, since decoding is exactly what a flood wants us to do.
    const red = { left: 0, top: 0, width: 4, height: 4 };
    const jpeg = Buffer.from(await markedImage(16, 8, red, 'jpeg'));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    assert.ok(sof > 0, 'baseline SOF0 marker');
    jpeg.writeUInt16BE(30_000, sof + 5); // height
    jpeg.writeUInt16BE(30_000, sof + 7); // width
    await rejectsWith(
      decodeImage(jpeg, LIMIT),
      'too_many_pixels',
      /^Image is 30000x30000 \(900000000 pixels\); the limit is 50000000 pixels$/,
    );
    const webp = Buffer.from(await markedImage(16, 8, red, 'webp'));
    assert.equal(webp.toString('latin1', 12, 16), 'VP8 ', 'simple lossy WebP');
    webp.writeUInt16LE(16_383, 26); // 14-bit width, the format's maximum
    webp.writeUInt16LE(16_383, 28); // 14-bit height
    await rejectsWith(decodeImage(webp, LIMIT), 'too_many_pixels', /^Image is 16383x16383 /);
  });

  it('reports the displayed size of EXIF-rotated JPEGs (orientations 5–8 swap)', async () => {
    const base = await markedImage(60, 20, { left: 0, top: 0, width: 10, height: 5 });
    for (const o of [1, 2, 3, 4]) {
      assert.deepEqual(await probeImage(await withOrientation(base, o), LIMIT), {
        format: 'jpeg',
        width: 60,
        height: 20,
      });
    }
    for (const o of [5, 6, 7, 8]) {
      assert.deepEqual(await probeImage(await withOrientation(base, o), LIMIT), {
        format: 'jpeg',
        width: 20,
        height: 60,
      });
    }
  });
});

describe('decodeImage', () => {
  it('returns 8-bit RGB HWC pixels', async () => {
    const png = await markedImage(8, 4, { left: 2, top: 1, width: 3, height: 2 });
    const img = await decodeImage(png, LIMIT);
    assert.equal(img.width, 8);
    assert.equal(img.height, 4);
    assert.equal(img.data.length, 8 * 4 * 3);
    const px = (x: number, y: number) => [...img.data.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3)];
    assert.deepEqual(px(0, 0), [0x20, 0x40, 0x60]);
    assert.deepEqual(px(2, 1), [255, 0, 0]);
    assert.deepEqual(px(4, 2), [255, 0, 0]);
    assert.deepEqual(px(5, 2), [0x20, 0x40, 0x60]);
  });

  it('applies EXIF orientation 6 (rotate 90° clockwise)', async () => {
    // Stored 60×20 with the red patch at the top-left; displayed 20×60 with it at the top-right.
    const jpeg = await withOrientation(
      await markedImage(60, 20, { left: 0, top: 0, width: 10, height: 6 }),
      6,
    );
    const img = await decodeImage(jpeg, LIMIT);
    assert.deepEqual([img.width, img.height], [20, 60]);
    const red = (x: number, y: number) =>
      img.data[(y * 20 + x) * 3] > 200 && img.data[(y * 20 + x) * 3 + 1] < 60;
    assert.ok(red(17, 3), 'patch should be at the top-right');
    assert.ok(!red(2, 3), 'top-left should be background');
    assert.ok(!red(17, 56), 'bottom-right should be background');
  });

  it('applies each of the 8 EXIF orientations: every stored pixel lands where a viewer shows it', async () => {
    // Stored 30×12 with a 9×5 red patch near the top-left corner (asymmetric, so every flip shows).
    const [w, h] = [30, 12];
    const patch = { left: 2, top: 1, width: 9, height: 5 };
    const base = await markedImage(w, h, patch, 'png');
    const inPatch = (x: number, y: number) =>
      x >= patch.left && x < patch.left + patch.width && y >= patch.top && y < patch.top + patch.height;
    // JPEG blurs colour edges; judge only pixels at least 2 px from the patch border.
    const nearEdge = (x: number, y: number) =>
      [-2, -1, 0, 1, 2].some(
        (d) => inPatch(x + d, y) !== inPatch(x, y) || inPatch(x, y + d) !== inPatch(x, y),
      );
    for (const o of ORIENTATIONS) {
      const img = await decodeImage(await withOrientation(base, o), LIMIT);
      const [dw, dh] = displayedSize(o, w, h);
      assert.deepEqual([img.width, img.height], [dw, dh], `orientation ${o}: size`);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (nearEdge(x, y)) continue;
          const [dx, dy] = displayedPixel(o, x, y, w, h);
          const i = (dy * dw + dx) * 3;
          const red = img.data[i] > 200 && img.data[i + 1] < 80;
          assert.equal(red, inPatch(x, y), `orientation ${o}: stored (${x}, ${y}) shown at (${dx}, ${dy})`);
        }
      }
    }
  });

  it('composites semi-transparent pixels over white', async () => {
    // Pure red at alpha 128: 255·a + 255·(1 − a) = 255 for red; 0·a + 255·(1 − a) ≈ 127 for green and blue.
    const img = await decodeImage(
      await transparentPng(2, 1, { r: 255, g: 0, b: 0, alpha: 128 / 255 }),
      LIMIT,
    );
    assert.equal(img.data.length, 2 * 3, 'three channels: alpha is gone');
    const [r, g, b] = img.data;
    assert.equal(r, 255);
    assert.ok(Math.abs(g - 127) <= 1 && Math.abs(b - 127) <= 1, `got ${r},${g},${b}`);
  });

  it('flattens transparency onto white', async () => {
    const img = await decodeImage(await transparentPng(4, 2), LIMIT);
    assert.deepEqual([...img.data], new Array(4 * 2 * 3).fill(255));
  });

  it('converts grayscale and 16-bit PNGs to 3-channel 8-bit', async () => {
    const g = await decodeImage(await grayPng(3, 2, 77), LIMIT);
    assert.deepEqual([...g.data], new Array(18).fill(77));
    const d = await decodeImage(await rgb16Png(2, 2, [10, 20, 30]), LIMIT);
    assert.deepEqual([...d.data], [10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30]);
  });

  it('rejects truncated JPEG and PNG data that has an intact header', async () => {
    const photo = await markedImage(256, 256, { left: 10, top: 10, width: 100, height: 50 }, 'jpeg');
    await probeImage(photo.subarray(0, photo.length >> 1), LIMIT); // the header alone is fine …
    await rejectsWith(
      decodeImage(photo.subarray(0, photo.length >> 1), LIMIT),
      'undecodable_image',
      /JPEG data is truncated or corrupt/,
    );
    const png = await markedImage(256, 256, { left: 10, top: 10, width: 100, height: 50 }, 'png');
    await rejectsWith(decodeImage(png.subarray(0, png.length - 30), LIMIT), 'undecodable_image', /PNG data/);
    const webp = await markedImage(256, 256, { left: 10, top: 10, width: 100, height: 50 }, 'webp');
    await rejectsWith(
      decodeImage(webp.subarray(0, webp.length >> 1), LIMIT),
      'undecodable_image',
      /WEBP (header|data)/,
    );
  });

  it('enforces the pixel limit on decode too', async () => {
    const png = await markedImage(100, 100, { left: 0, top: 0, width: 1, height: 1 });
    await rejectsWith(
      decodeImage(png, 9_999),
      'too_many_pixels',
      /100x100 \(10000 pixels\); the limit is 9999 pixels/,
    );
    await decodeImage(png, 10_000);
  });
});

describe('decodeProbed', () => {
  it('decodes straight to the target size, after EXIF orientation', async () => {
    // Stored 60×20 with the patch top-left; orientation 6 displays 20×60 with it top-right.
    const jpeg = await withOrientation(
      await markedImage(60, 20, { left: 0, top: 0, width: 10, height: 6 }),
      6,
    );
    const info = await probeImage(jpeg, LIMIT);
    assert.deepEqual([info.width, info.height], [20, 60]);
    const image = await decodeProbed(jpeg, info, LIMIT, { width: 40, height: 30 });
    assert.deepEqual([image.width, image.height, image.data.length], [40, 30, 40 * 30 * 3]);
    const red = (x: number, y: number) =>
      image.data[(y * 40 + x) * 3] > 200 && image.data[(y * 40 + x) * 3 + 1] < 60;
    assert.ok(red(36, 1), 'patch at the top-right');
    assert.ok(!red(3, 1) && !red(36, 28));
  });

  it('returns the same pixels as decodeImage at the displayed size, and refuses corrupt data', async () => {
    const png = await markedImage(8, 4, { left: 2, top: 1, width: 3, height: 2 });
    const full = await decodeImage(png, LIMIT);
    const same = await decodeProbed(png, await probeImage(png, LIMIT), LIMIT);
    assert.deepEqual([same.width, same.height], [8, 4]);
    assert.deepEqual([...same.data], [...full.data]);
    const jpeg = await markedImage(256, 256, { left: 10, top: 10, width: 100, height: 50 }, 'jpeg');
    const cut = jpeg.subarray(0, jpeg.length >> 1);
    await rejectsWith(
      decodeProbed(cut, await probeImage(cut, LIMIT), LIMIT, { width: 16, height: 16 }),
      'undecodable_image',
      /^The JPEG data is truncated or corrupt \(.+\)$/,
    );
  });

  it("keeps libvips' own pixel limit as a second line of defence", async () => {
    // A probe answer taken under a laxer limit does not lift the limit of the decode itself.
    const png = await markedImage(100, 100, { left: 0, top: 0, width: 1, height: 1 });
    await rejectsWith(
      decodeProbed(png, await probeImage(png, LIMIT), 9_999),
      'undecodable_image',
      /pixel limit/i,
    );
  });
});

describe('resizeRgb and encodeGrayPng', () => {
  it('resizes to exact dimensions', async () => {
    const img = await decodeImage(
      await markedImage(40, 20, { left: 0, top: 0, width: 20, height: 20 }),
      LIMIT,
    );
    const small = await resizeRgb(img, 10, 7);
    assert.deepEqual([small.width, small.height, small.data.length], [10, 7, 210]);
    assert.ok(small.data[0] > 200, 'left half stays red');
    assert.ok(small.data[(3 * 10 + 9) * 3] < 80, 'right half stays blue-grey');
  });

  it('writes an 8-bit single-channel grayscale PNG', async () => {
    const mask = new Uint8Array(6 * 3);
    mask[4] = 255;
    const png = await encodeGrayPng(mask, 6, 3);
    const meta = await pngMetadata(png);
    assert.equal(meta.format, 'png');
    assert.equal(meta.channels, 1);
    assert.equal(meta.space, 'b-w');
    assert.equal(meta.depth, 'uchar');
    assert.equal(png[25], 0, 'IHDR colour type 0 (greyscale)');
    assert.equal(png[24], 8, 'IHDR bit depth 8');
    const { data } = await maskPixels(png);
    assert.deepEqual([...data], [...mask]);
  });
});
