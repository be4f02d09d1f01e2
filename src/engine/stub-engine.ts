/**
 * A model-free Engine for HTTP-behaviour tests and benchmarks: the real engine
 * (`inference-engine.ts`: header probe, prompt bounds check, bounded queue, decode, pixel-hash
 * cache key, in-flight sharing, PNG encoding, close) around a pipeline that runs no model, so
 * 400/413/415/422/503 answers are exactly the real engine's; only the mask is made up (see
 * `stub-mask.ts`).
 *
 * @example
 *   const engine = createStubEngine({ maxPixels: config.limits.maxPixels, delayMs: 50, queueSize: 1 });
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock/clock.js';
import { createInferenceEngine } from './inference-engine.js';
import type { ModelPipeline } from './pipeline.js';
import { renderStubMask } from './stub-mask.js';
import type { Engine } from './types.js';

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

/**
 * The stub's "embedding" holds nothing; it counts as one byte so that the engine's byte-bounded
 * cache holds `cacheEntries` of them, as bounded as the real one (a size of 0 would never evict).
 */
const EMPTY_EMBEDDING = { tensors: {}, bytes: 1 } as const;

export function createStubEngine(opts: StubEngineOptions): Engine {
  return createInferenceEngine({
    modelId: 'stub',
    pipeline: stubPipeline(opts.delayMs ?? 0),
    maxPixels: opts.maxPixels,
    cacheBytes: (opts.cacheEntries ?? 1024) * EMPTY_EMBEDDING.bytes,
    queueSize: opts.queueSize ?? 64,
    concurrency: opts.concurrency ?? 1,
    clock: opts.clock,
  });
}

/** Decodes at the displayed size (the mask is drawn there) and spends `delayMs` per request. */
function stubPipeline(delayMs: number): ModelPipeline {
  return {
    family: 'stub',
    inputSize: (width, height) => ({ width, height }),
    encode: async () => EMPTY_EMBEDDING,
    async decode(_embedding, prompts, width, height) {
      if (delayMs > 0) await sleep(delayMs);
      return { mask: renderStubMask(prompts, width, height), score: 1 };
    },
  };
}
