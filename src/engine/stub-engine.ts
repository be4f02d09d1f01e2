/**
 * A model-free Engine for HTTP-behaviour tests. Everything around inference is the real thing —
 * header probe, decode, prompt bounds check, pixel-hash cache key, bounded queue, PNG encoding —
 * so 400/413/415/422/503 answers are exactly the real engine's; only the mask is made up
 * (see `stub-mask.ts`).
 *
 * @example
 *   const engine = createStubEngine({ maxPixels: config.limits.maxPixels, delayMs: 50, queueSize: 1 });
 */
import type { Clock } from '../clock/clock.js';
import { createEmbeddingCache, imageKey } from './embedding-cache.js';
import { decodeImage, encodeGrayPng, probeImage } from './image-codec.js';
import { checkPromptsInImage } from './prompts.js';
import { monotonicClock, stageTimings } from './stage-timings.js';
import { renderStubMask } from './stub-mask.js';
import type { Engine, SegmentRequest, SegmentResult } from './types.js';
import { createWorkQueue } from './work-queue.js';

export interface StubEngineOptions {
  maxPixels: number;
  /** Simulated inference time inside the queue slot, so tests can fill the queue. Default 0. */
  delayMs?: number;
  /** Requests allowed to wait for a slot; one more gets `overloaded`. Default 64. */
  queueSize?: number;
  /** Default 1. */
  concurrency?: number;
  /** Distinct images remembered for `cacheHit`. Default 1024. */
  cacheEntries?: number;
  clock?: Clock;
}

/** Stand-in for an embedding's size, so the stub's cache is bounded like the real one. */
const ENTRY_BYTES = 1;

export function createStubEngine(opts: StubEngineOptions): Engine {
  const clock = opts.clock ?? monotonicClock;
  const queue = createWorkQueue({ concurrency: opts.concurrency ?? 1, maxWaiting: opts.queueSize ?? 64 });
  const seen = createEmbeddingCache<true>({
    maxBytes: (opts.cacheEntries ?? 1024) * ENTRY_BYTES,
    sizeOf: () => ENTRY_BYTES,
  });
  let encoderRuns = 0;
  let decoderRuns = 0;

  async function segment(req: SegmentRequest): Promise<SegmentResult> {
    const received = clock.now();
    const info = await probeImage(req.image, opts.maxPixels);
    checkPromptsInImage(req.prompts, info.width, info.height);
    return queue.run(
      async () => {
        const started = clock.now();
        const image = await decodeImage(req.image, opts.maxPixels);
        const decoded = clock.now();
        const key = await imageKey(image, 'stub');
        const cacheHit = seen.get(key) !== undefined;
        if (!cacheHit) {
          encoderRuns++;
          seen.set(key, true);
        }
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        const encoded = clock.now();
        decoderRuns++;
        const raw = renderStubMask(req.prompts, image.width, image.height);
        const masked = clock.now();
        const mask = await encodeGrayPng(raw, image.width, image.height);
        const marks = { received, started, decoded, encoded, masked, done: clock.now() };
        return {
          mask,
          width: image.width,
          height: image.height,
          score: 1,
          cacheHit,
          timings: stageTimings(marks, cacheHit),
        };
      },
      { signal: req.signal },
    );
  }

  return {
    modelId: 'stub',
    family: 'stub',
    probe: (image) => probeImage(image, opts.maxPixels),
    segment,
    stats() {
      const c = seen.stats();
      return {
        modelId: 'stub',
        queueDepth: queue.waiting,
        running: queue.running,
        cacheHits: c.hits,
        cacheMisses: c.misses,
        cacheEntries: c.entries,
        cacheBytes: 0,
        encoderRuns,
        decoderRuns,
      };
    },
    close: async () => {
      seen.clear();
    },
  };
}
