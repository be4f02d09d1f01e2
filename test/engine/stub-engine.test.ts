import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStubEngine, parsePrompts } from '../../src/engine/index.js';
import { isAppError } from '../../src/errors/app-error.js';
import {
  markedImage,
  maskPixels,
  noise,
  pixelFloodPng,
  pngMetadata,
  SVG,
  withOrientation,
} from './fixtures/test-images.js';

/** Polls (probe and decode are async, so queue entry order is not call order). */
async function until(cond: () => boolean) {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  assert.ok(cond(), 'condition not reached');
}

const code = (c: string) => (err: unknown) => isAppError(err) && err.code === c;

describe('createStubEngine', () => {
  it('returns the filled box as an 8-bit grayscale PNG of the image size', async () => {
    const engine = createStubEngine({ maxPixels: 1e6 });
    const image = await markedImage(64, 48, { left: 0, top: 0, width: 4, height: 4 }, 'jpeg');
    const res = await engine.segment({ image, prompts: parsePrompts({ box: '[10,5,20,15]' }) });
    assert.deepEqual([res.width, res.height, res.score, res.cacheHit], [64, 48, 1, false]);
    const meta = await pngMetadata(res.mask);
    assert.deepEqual([meta.width, meta.height, meta.channels, meta.space], [64, 48, 1, 'b-w']);
    const { data } = await maskPixels(res.mask);
    assert.equal(data[10 * 64 + 15], 255);
    assert.equal(data[4 * 64 + 15], 0);
    assert.equal(
      data.reduce((a, v) => a + (v === 255 ? 1 : 0), 0),
      100,
    );
    assert.equal(engine.family, 'stub');
    assert.equal(engine.modelId, 'stub');
  });

  it('draws disks around foreground points', async () => {
    const engine = createStubEngine({ maxPixels: 1e6 });
    const image = await markedImage(100, 100, { left: 0, top: 0, width: 4, height: 4 });
    const res = await engine.segment({ image, prompts: parsePrompts({ points: '[[50,50]]' }) });
    const { data } = await maskPixels(res.mask);
    assert.equal(data[50 * 100 + 50], 255);
    assert.equal(data[50 * 100 + 59], 255);
    assert.equal(data[50 * 100 + 62], 0);
  });

  it('counts cache hits per distinct decoded image, and encoder/decoder runs', async () => {
    const engine = createStubEngine({ maxPixels: 1e6 });
    const a = await markedImage(32, 32, { left: 1, top: 1, width: 4, height: 4 });
    const b = await markedImage(32, 32, { left: 9, top: 9, width: 4, height: 4 });
    const prompts = parsePrompts({ points: '[[5,5]]' });
    assert.equal((await engine.segment({ image: a, prompts })).cacheHit, false);
    const second = await engine.segment({ image: a, prompts });
    assert.equal(second.cacheHit, true);
    assert.equal(second.timings.encodeMs, 0);
    assert.equal((await engine.segment({ image: b, prompts })).cacheHit, false);
    const s = engine.stats();
    assert.deepEqual(
      [s.cacheHits, s.cacheMisses, s.cacheEntries, s.encoderRuns, s.decoderRuns, s.queueDepth, s.running],
      [1, 2, 2, 2, 3, 0, 0],
    );
  });

  it('answers hostile uploads exactly like the real codec', async () => {
    const engine = createStubEngine({ maxPixels: 50_000_000 });
    const prompts = parsePrompts({ points: '[[1,1]]' });
    await assert.rejects(engine.segment({ image: noise(1000), prompts }), code('undecodable_image'));
    await assert.rejects(engine.segment({ image: SVG, prompts }), code('unsupported_media_type'));
    await assert.rejects(engine.segment({ image: pixelFloodPng(), prompts }), code('too_many_pixels'));
    await assert.rejects(engine.probe(pixelFloodPng()), code('too_many_pixels'));
    const jpeg = await markedImage(128, 128, { left: 0, top: 0, width: 60, height: 60 }, 'jpeg');
    await assert.rejects(
      engine.segment({ image: jpeg.subarray(0, jpeg.length >> 1), prompts }),
      code('undecodable_image'),
    );
  });

  it('checks prompts against the displayed (EXIF-rotated) size', async () => {
    const engine = createStubEngine({ maxPixels: 1e6 });
    const rotated = await withOrientation(
      await markedImage(80, 20, { left: 0, top: 0, width: 4, height: 4 }),
      6,
    );
    assert.deepEqual(await engine.probe(rotated), { format: 'jpeg', width: 20, height: 80 });
    await assert.rejects(
      engine.segment({ image: rotated, prompts: parsePrompts({ points: '[[70,10]]' }) }),
      (err) => isAppError(err) && err.code === 'invalid_prompt' && err.details.field === 'points',
    );
    const ok = await engine.segment({ image: rotated, prompts: parsePrompts({ box: '[0,60,20,80]' }) });
    assert.deepEqual([ok.width, ok.height], [20, 80]);
    assert.equal(engine.stats().decoderRuns, 1, 'the rejected request never reached the queue');
  });

  it('sheds load with `overloaded` when the queue is full', async () => {
    const engine = createStubEngine({ maxPixels: 1e6, delayMs: 100, queueSize: 1 });
    const image = await markedImage(16, 16, { left: 0, top: 0, width: 4, height: 4 });
    const prompts = parsePrompts({ points: '[[5,5]]' });
    const first = engine.segment({ image, prompts });
    await until(() => engine.stats().running === 1);
    const second = engine.segment({ image, prompts });
    await until(() => engine.stats().queueDepth === 1);
    assert.deepEqual([engine.stats().running, engine.stats().queueDepth], [1, 1]);
    await assert.rejects(engine.segment({ image, prompts }), code('overloaded'));
    const [r1, r2] = await Promise.all([first, second]);
    assert.ok(r2.timings.queueMs >= 50, `second waited ${r2.timings.queueMs} ms`);
    assert.ok(r1.timings.totalMs >= 90);
  });

  it('drops a queued request when its signal aborts', async () => {
    const engine = createStubEngine({ maxPixels: 1e6, delayMs: 50, queueSize: 4 });
    const image = await markedImage(16, 16, { left: 0, top: 0, width: 4, height: 4 });
    const prompts = parsePrompts({ points: '[[5,5]]' });
    const first = engine.segment({ image, prompts });
    await until(() => engine.stats().running === 1);
    const ac = new AbortController();
    const second = engine.segment({ image, prompts, signal: ac.signal });
    await until(() => engine.stats().queueDepth === 1);
    ac.abort();
    await assert.rejects(second, { name: 'AbortError' });
    await first;
    assert.equal(engine.stats().decoderRuns, 1);
  });
});
