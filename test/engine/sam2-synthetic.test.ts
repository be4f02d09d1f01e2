/**
 * The SAM 2 path end to end on synthetic graphs with the samexporter interface
 * (test/helpers/synthetic-sam2.ts): the encoder returns block means of the preprocessed image,
 * the decoder returns three cones (disks of radius 80/160/240 px in the 1024 frame) around the
 * first point, with IoU predictions [0.5, 0.9, 0.7].
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEngine, type Engine, parsePrompts } from '../../src/engine/index.js';
import { createOnnxSession } from '../../src/engine/onnx-session.js';
import { createSam2Pipeline } from '../../src/engine/sam2-pipeline.js';
import { SYNTHETIC_SAM2_BEST, SYNTHETIC_SAM2_IOU, writeSyntheticSam2 } from '../helpers/synthetic-sam2.js';
import { markedImage, maskPixels, withOrientation } from './fixtures/test-images.js';

// The best mask (index 1) is a disk of radius 160 px in the 1024 × 1024 model frame.

describe('SAM 2 engine on synthetic graphs', () => {
  let dir: string;
  let paths: { encoderPath: string; decoderPath: string };
  let engine: Engine;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'maskd-engine-sam2-'));
    paths = await writeSyntheticSam2(dir);
    engine = await createEngine({
      modelId: 'synthetic-sam2',
      ...paths,
      maxPixels: 1e7,
      cacheBytes: 64 << 20,
      queueSize: 8,
      concurrency: 1,
      intraOpThreads: 1,
      interOpThreads: 1,
    });
  });
  after(async () => {
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Mask value at displayed pixel (x, y). */
  const at = (m: { data: Buffer; width: number }, x: number, y: number) => m.data[y * m.width + x];

  it('is detected as the SAM 2 family', () => {
    assert.equal(engine.family, 'sam2');
    assert.equal(engine.modelId, 'synthetic-sam2');
  });

  it('maps a click on a non-square image into the stretched 1024 frame and back', async () => {
    // 400×200: x scales by 1024/400 = 2.56, y by 1024/200 = 5.12, so the disk of radius 160
    // becomes an ellipse with semi-axes 62.5 px (x) and 31.25 px (y) around the click.
    const image = await markedImage(400, 200, { left: 0, top: 0, width: 4, height: 4 });
    const res = await engine.segment({ image, prompts: parsePrompts({ points: '[[100,150]]' }) });
    assert.deepEqual([res.width, res.height], [400, 200], 'upsampled to the original size');
    assert.equal(res.score, Math.fround(SYNTHETIC_SAM2_IOU[SYNTHETIC_SAM2_BEST]), 'highest predicted IoU');
    const m = await maskPixels(res.mask);
    assert.equal(at(m, 100, 150), 255);
    // Inside the radius-160 mask, outside the radius-80 one (index 0)…
    assert.equal(at(m, 100 + 55, 150), 255);
    assert.equal(at(m, 100, 150 + 27), 255);
    assert.equal(at(m, 100, 150 - 27), 255);
    // …and outside it, though inside the radius-240 one (index 2).
    assert.equal(at(m, 100 + 70, 150), 0);
    assert.equal(at(m, 100, 150 + 36), 0);
    assert.equal(at(m, 100 - 70, 150), 0);
    // Area ≈ π · 62.5 · 31.25 ≈ 6136 px.
    const area = m.data.reduce((a, v) => a + (v === 255 ? 1 : 0), 0);
    assert.ok(Math.abs(area - Math.PI * 62.5 * 31.25) < 150, `area ${area}`);
  });

  it('sends a box as its corners: the synthetic decoder centres on the top-left corner', async () => {
    const image = await markedImage(300, 600, { left: 0, top: 0, width: 4, height: 4 });
    const res = await engine.segment({ image, prompts: parsePrompts({ box: '[200,100,290,500]' }) });
    const m = await maskPixels(res.mask);
    // semi-axes: 160·300/1024 = 46.9 (x), 160·600/1024 = 93.75 (y)
    assert.equal(at(m, 200, 100), 255);
    assert.equal(at(m, 240, 100), 255);
    assert.equal(at(m, 252, 100), 0);
    assert.equal(at(m, 200, 185), 255);
    assert.equal(at(m, 200, 200), 0);
  });

  it('reuses the embedding for a second prompt on the same image', async () => {
    const image = await markedImage(120, 90, { left: 10, top: 10, width: 4, height: 4 }, 'jpeg');
    const before = engine.stats().encoderRuns;
    const a = await engine.segment({ image, prompts: parsePrompts({ points: '[[10,10]]' }) });
    const b = await engine.segment({ image, prompts: parsePrompts({ points: '[[60,45]]' }) });
    assert.deepEqual([a.cacheHit, b.cacheHit, b.timings.encodeMs], [false, true, 0]);
    assert.equal(engine.stats().encoderRuns, before + 1);
    assert.equal(at(await maskPixels(b.mask), 60, 45), 255);
    assert.equal(at(await maskPixels(b.mask), 10, 10), 0);
  });

  it('works in displayed coordinates for an EXIF-rotated JPEG', async () => {
    // Stored 300×100, orientation 6: displayed 100×300.
    const jpeg = await withOrientation(
      await markedImage(300, 100, { left: 0, top: 0, width: 4, height: 4 }),
      6,
    );
    const res = await engine.segment({ image: jpeg, prompts: parsePrompts({ points: '[[50,250]]' }) });
    assert.deepEqual([res.width, res.height], [100, 300]);
    const m = await maskPixels(res.mask);
    // semi-axes 15.6 (x), 46.9 (y) around (50, 250)
    assert.equal(at(m, 50, 250), 255);
    assert.equal(at(m, 50, 290), 255);
    assert.equal(at(m, 50, 205), 255);
    assert.equal(at(m, 50, 150), 0);
    assert.equal(at(m, 70, 250), 0);
  });

  it('preprocesses by stretching to 1024×1024 (no padding) with ImageNet normalisation', async () => {
    const opts = { intraOpThreads: 1, interOpThreads: 1 };
    const encoder = await createOnnxSession(paths.encoderPath, opts);
    const decoder = await createOnnxSession(paths.decoderPath, opts);
    try {
      const pipeline = createSam2Pipeline({ encoder, decoder });
      // 400×200, left half white, right half black. Stretched, every row of the 64×64 embedding
      // is the same: white blocks left, black right. Letterboxing would leave zero rows below.
      const width = 400;
      const height = 200;
      const data = new Uint8Array(width * height * 3);
      for (let y = 0; y < height; y++) data.fill(255, y * width * 3, (y * width + width / 2) * 3);
      const emb = await pipeline.encode({ data, width, height });
      assert.deepEqual(emb.tensors.image_embed.dims, [1, 256, 64, 64]);
      assert.deepEqual(emb.tensors.high_res_feats_0.dims, [1, 32, 256, 256]);
      assert.equal(emb.bytes, 4 * (256 * 64 * 64 + 32 * 256 * 256 + 64 * 128 * 128));
      const e = emb.tensors.image_embed.data as Float32Array;
      const white = ((1 - 0.485) / 0.229 + (1 - 0.456) / 0.224 + (1 - 0.406) / 0.225) / 3;
      const black = (-0.485 / 0.229 - 0.456 / 0.224 - 0.406 / 0.225) / 3;
      for (const [row, col, want] of [
        [0, 0, white],
        [63, 10, white],
        [40, 30, white], // block 31 straddles the edge, where resampling blends
        [0, 33, black],
        [63, 63, black],
      ] as const) {
        const v = e[7 * 4096 + row * 64 + col]; // any channel: the encoder broadcasts
        assert.ok(Math.abs(v - want) < 1e-3, `embed[7,${row},${col}] = ${v}, want ${want}`);
      }
    } finally {
      await encoder.release();
      await decoder.release();
    }
  });
});
