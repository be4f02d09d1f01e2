import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePrompts } from '../../src/engine/index.js';
import { createInferenceEngine } from '../../src/engine/inference-engine.js';
import type { Embedding, ModelPipeline } from '../../src/engine/pipeline.js';
import type { RgbImage } from '../../src/engine/rgb-image.js';
import { isAppError } from '../../src/errors/app-error.js';
import { markedImage, maskPixels } from './fixtures/test-images.js';

/** A pipeline whose encoder takes `encodeMs` and records what it saw; the mask is the left half. */
function fakePipeline(encodeMs = 30) {
  const calls = { encode: 0, decode: 0, concurrentEncodes: 0, peakEncodes: 0 };
  const pipeline: ModelPipeline = {
    family: 'sam1',
    inputSize: (width, height) => ({ width, height }),
    async encode(image: RgbImage): Promise<Embedding> {
      calls.encode++;
      calls.peakEncodes = Math.max(calls.peakEncodes, ++calls.concurrentEncodes);
      await new Promise((r) => setTimeout(r, encodeMs));
      calls.concurrentEncodes--;
      const data = Float32Array.of(image.width, image.height);
      return { tensors: { e: { type: 'float32', data, dims: [2] } }, bytes: 1000 };
    },
    async decode(embedding, _prompts, width, height) {
      calls.decode++;
      const [w, h] = embedding.tensors.e.data as Float32Array;
      assert.deepEqual([w, h], [width, height], 'decode sees the embedding of its own image');
      const mask = new Uint8Array(width * height);
      for (let y = 0; y < height; y++) mask.fill(255, y * width, y * width + (width >> 1));
      return { mask, score: 0.75 };
    },
  };
  return { pipeline, calls };
}

const engineWith = (
  pipeline: ModelPipeline,
  over: Partial<Parameters<typeof createInferenceEngine>[0]> = {},
) =>
  createInferenceEngine({
    modelId: 'fake',
    pipeline,
    maxPixels: 1e6,
    cacheBytes: 10_000,
    queueSize: 8,
    concurrency: 2,
    ...over,
  });

const prompts = parsePrompts({ points: '[[1,1]]' });

describe('createInferenceEngine', () => {
  it('encodes once per image and decodes per prompt', async () => {
    const { pipeline, calls } = fakePipeline(5);
    const engine = engineWith(pipeline);
    const image = await markedImage(20, 10, { left: 0, top: 0, width: 2, height: 2 });
    const first = await engine.segment({ image, prompts });
    const second = await engine.segment({ image, prompts });
    assert.deepEqual([first.cacheHit, second.cacheHit], [false, true]);
    assert.equal(second.timings.encodeMs, 0);
    assert.ok(first.timings.encodeMs >= 4);
    assert.deepEqual([calls.encode, calls.decode], [1, 2]);
    assert.equal(second.score, 0.75);
    const { data, width, height } = await maskPixels(second.mask);
    assert.deepEqual([width, height, data[9], data[10]], [20, 10, 255, 0]);
    const s = engine.stats();
    assert.deepEqual(
      [s.cacheHits, s.cacheMisses, s.cacheEntries, s.cacheBytes, s.encoderRuns, s.decoderRuns],
      [1, 1, 1, 1000, 1, 2],
    );
  });

  it('shares one encoder run among concurrent requests for the same new image', async () => {
    const { pipeline, calls } = fakePipeline(40);
    const engine = engineWith(pipeline, { concurrency: 4, cacheBytes: 0 });
    const a = await markedImage(16, 16, { left: 0, top: 0, width: 2, height: 2 });
    const b = await markedImage(24, 16, { left: 0, top: 0, width: 2, height: 2 });
    const results = await Promise.all([a, a, a, b].map((image) => engine.segment({ image, prompts })));
    assert.equal(calls.encode, 2, 'one per distinct image');
    assert.equal(calls.decode, 4);
    assert.deepEqual(
      results.map((r) => r.width),
      [16, 16, 16, 24],
    );
    assert.equal(engine.stats().encoderRuns, 2);
    // With the cache disabled a later request encodes again.
    await engine.segment({ image: a, prompts });
    assert.equal(calls.encode, 3);
  });

  it('never runs more than `concurrency` requests and sheds the overflow', async () => {
    const { pipeline, calls } = fakePipeline(30);
    const engine = engineWith(pipeline, { concurrency: 2, queueSize: 2 });
    const images = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => markedImage(16 + i, 16, { left: 0, top: 0, width: 2, height: 2 })),
    );
    const settled = await Promise.allSettled(images.map((image) => engine.segment({ image, prompts })));
    const rejected = settled.filter((s) => s.status === 'rejected');
    assert.equal(rejected.length, 1);
    assert.ok(isAppError(rejected[0]?.reason) && rejected[0].reason.code === 'overloaded');
    assert.equal(calls.peakEncodes, 2);
  });

  it('retries the encoder after a failure instead of caching it', async () => {
    let fail = true;
    const { pipeline } = fakePipeline(1);
    const flaky: ModelPipeline = {
      ...pipeline,
      encode: async (img) => {
        if (fail) throw new Error('encoder exploded');
        return pipeline.encode(img);
      },
    };
    const engine = engineWith(flaky);
    const image = await markedImage(8, 8, { left: 0, top: 0, width: 2, height: 2 });
    await assert.rejects(engine.segment({ image, prompts }), /encoder exploded/);
    fail = false;
    assert.equal((await engine.segment({ image, prompts })).cacheHit, false);
    assert.equal(engine.stats().running, 0);
  });

  it('close() waits for running requests, then refuses new ones', async () => {
    const { pipeline } = fakePipeline(30);
    let finished = false;
    let finishedAtRelease: boolean | undefined;
    const engine = engineWith(pipeline, {
      release: async () => {
        finishedAtRelease = finished;
      },
    });
    const image = await markedImage(8, 8, { left: 0, top: 0, width: 2, height: 2 });
    const pending = engine.segment({ image, prompts });
    pending.then(() => {
      finished = true;
    });
    await engine.close(); // called while the request is still being probed

    assert.equal(finishedAtRelease, true, 'the model was released only after the request finished');
    assert.equal((await pending).width, 8, 'the in-flight request completed');
    await assert.rejects(
      engine.segment({ image, prompts }),
      (e) => isAppError(e) && e.code === 'model_unavailable',
    );
  });
});
