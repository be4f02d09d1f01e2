/**
 * Config → a ready Engine: the one factory the CLI and the server's composition root share,
 * so both run the same model with the same limits.
 *
 * @example
 *   const engine = await openEngine(loadConfig(process.env));
 */
import type { Config } from '../config/config.js';
import { createEngine, createStubEngine, type Engine } from '../engine/index.js';
import { loadRegistry } from './registry-file.js';
import { resolveModel } from './resolve-model.js';

/** @throws AppError `model_unavailable` (not installed), `model_incompatible` (from the engine). */
export async function openEngine(config: Config): Promise<Engine> {
  const e = config.engine;
  if (e.kind === 'stub') {
    return createStubEngine({
      maxPixels: config.limits.maxPixels,
      queueSize: e.queueSize,
      concurrency: e.concurrency,
    });
  }
  const model = await resolveModel(e.model, e.modelsDir, await loadRegistry(e.registryFile));
  return createEngine({
    modelId: model.id,
    encoderPath: model.encoderPath,
    decoderPath: model.decoderPath,
    maxPixels: config.limits.maxPixels,
    cacheBytes: e.cacheBytes,
    queueSize: e.queueSize,
    concurrency: e.concurrency,
    intraOpThreads: e.intraOpThreads,
    interOpThreads: e.interOpThreads,
  });
}
