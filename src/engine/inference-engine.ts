/**
 * The Engine around a model pipeline: header probe and prompt bounds check before queueing,
 * then — inside a bounded queue slot — decode pixels, look up or compute the embedding, decode
 * the mask and encode the PNG.
 *
 * The cache key is a hash of the pixels the encoder sees (decoded straight at its input size),
 * which is exactly what the embedding depends on.
 *
 * Concurrency: nothing here is "the current image"; each request carries its own pixels and
 * prompts, and embeddings are shared read-only. Requests for the same uncached image that run
 * at the same time share one encoder run (in-flight map), so a burst of clicks on a fresh image
 * costs one encode, not one per click.
 */
import type { Clock } from '../clock/clock.js';
import { AppError } from '../errors/app-error.js';
import { createEmbeddingCache, imageKey } from './embedding-cache.js';
import { decodeProbed, encodeGrayPng, probeImage } from './image-codec.js';
import type { Embedding, ModelPipeline } from './pipeline.js';
import { checkPromptsInImage } from './prompts.js';
import type { RgbImage } from './rgb-image.js';
import { monotonicClock, stageTimings } from './stage-timings.js';
import type { Engine, ImageInfo, SegmentRequest, SegmentResult } from './types.js';
import { createWorkQueue } from './work-queue.js';

export interface InferenceEngineOptions {
  modelId: string;
  pipeline: ModelPipeline;
  maxPixels: number;
  /** Embedding cache budget in bytes; 0 disables the cache (in-flight sharing still applies). */
  cacheBytes: number;
  /** Requests allowed to wait for a slot; one more gets `overloaded`. */
  queueSize: number;
  /** Requests inferring at once. */
  concurrency: number;
  clock?: Clock | undefined;
  /** Frees the model (sessions) once the last request has finished. */
  release?: () => Promise<void>;
}

export function createInferenceEngine(opts: InferenceEngineOptions): Engine {
  const { modelId, pipeline, maxPixels } = opts;
  const clock = opts.clock ?? monotonicClock;
  const queue = createWorkQueue({ concurrency: opts.concurrency, maxWaiting: opts.queueSize });
  const cache = createEmbeddingCache<Embedding>({ maxBytes: opts.cacheBytes, sizeOf: (e) => e.bytes });
  const inFlight = new Map<string, Promise<Embedding>>();
  const active = new Set<Promise<unknown>>();
  let closed = false;
  let encoderRuns = 0;
  let decoderRuns = 0;

  /** The embedding for `image`: cached, being computed by another request, or computed now. */
  async function embeddingFor(
    key: string,
    image: RgbImage,
  ): Promise<{ embedding: Embedding; cacheHit: boolean }> {
    const cached = cache.get(key);
    if (cached !== undefined) return { embedding: cached, cacheHit: true };
    let pending = inFlight.get(key);
    if (pending === undefined) {
      encoderRuns++;
      pending = pipeline.encode(image).then((embedding) => {
        cache.set(key, embedding);
        return embedding;
      });
      inFlight.set(key, pending);
      // Whatever the outcome, the next request for this image starts afresh (or hits the cache).
      pending.then(
        () => inFlight.delete(key),
        () => inFlight.delete(key),
      );
    }
    return { embedding: await pending, cacheHit: false };
  }

  async function infer(req: SegmentRequest, info: ImageInfo, received: number): Promise<SegmentResult> {
    const started = clock.now();
    const { width, height } = info; // the displayed original
    // [h, w, 3] at the encoder's input size
    const image = await decodeProbed(req.image, info, maxPixels, pipeline.inputSize(width, height));
    const key = await imageKey(image, modelId);
    const decoded = clock.now();
    const { embedding, cacheHit } = await embeddingFor(key, image);
    const encoded = clock.now();
    decoderRuns++;
    const { mask, score } = await pipeline.decode(embedding, req.prompts, width, height);
    const masked = clock.now();
    const png = await encodeGrayPng(mask, width, height);
    const marks = { received, started, decoded, encoded, masked, done: clock.now() };
    return { mask: png, width, height, score, cacheHit, timings: stageTimings(marks, cacheHit) };
  }

  async function admit(req: SegmentRequest): Promise<SegmentResult> {
    const received = clock.now();
    const info = await probeImage(req.image, maxPixels);
    checkPromptsInImage(req.prompts, info.width, info.height);
    return queue.run(() => infer(req, info, received), { signal: req.signal });
  }

  function segment(req: SegmentRequest): Promise<SegmentResult> {
    if (closed) return Promise.reject(new AppError('model_unavailable', 'The engine is shutting down'));
    // Tracked from the first await, so close() cannot release the model under a request.
    const run = admit(req);
    active.add(run);
    const forget = () => active.delete(run);
    run.then(forget, forget);
    return run;
  }

  return {
    modelId,
    family: pipeline.family,
    probe: (image) => probeImage(image, maxPixels),
    segment,
    stats() {
      const c = cache.stats();
      return {
        modelId,
        queueDepth: queue.waiting,
        running: queue.running,
        cacheHits: c.hits,
        cacheMisses: c.misses,
        cacheEntries: c.entries,
        cacheBytes: c.bytes,
        encoderRuns,
        decoderRuns,
      };
    },
    async close() {
      closed = true;
      await Promise.allSettled([...active]);
      cache.clear();
      await opts.release?.();
    },
  };
}
