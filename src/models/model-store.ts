/**
 * The on-disk layout of installed models, one directory per model:
 *
 *   <modelsDir>/<name>/encoder.onnx
 *   <modelsDir>/<name>/decoder.onnx
 *   <modelsDir>/<name>/model.json      written last by `models pull`; optional for custom models
 *
 * A user can drop any encoder/decoder pair into such a directory (a custom model): the engine
 * then tells the family from the graph's inputs, since there is no manifest to say.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MODEL_FAMILIES } from '../engine/model-family.js';

export const ENCODER_FILE = 'encoder.onnx';
export const DECODER_FILE = 'decoder.onnx';
export const MANIFEST_FILE = 'model.json';

const manifestSchema = z.object({
  name: z.string(),
  family: z.enum(MODEL_FAMILIES),
  licence: z.string(),
  source: z.string(),
  sha256: z.object({ encoder: z.string(), decoder: z.string() }),
});
export type ModelManifest = z.infer<typeof manifestSchema>;

export interface InstalledModel {
  name: string;
  dir: string;
  encoderPath: string;
  decoderPath: string;
  /** Bytes of both files together. */
  bytes: number;
  /** null: a custom model without a (readable) manifest. */
  manifest: ModelManifest | null;
}

export const modelDir = (modelsDir: string, name: string): string => join(modelsDir, name);

/** Size of a regular file; null when there is none at `path`. */
export async function fileSize(path: string): Promise<number | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

/** The model in `<modelsDir>/<name>`, or null unless both graph files are there. */
export async function readInstalled(modelsDir: string, name: string): Promise<InstalledModel | null> {
  const dir = modelDir(modelsDir, name);
  const encoderPath = join(dir, ENCODER_FILE);
  const decoderPath = join(dir, DECODER_FILE);
  const [enc, dec] = await Promise.all([fileSize(encoderPath), fileSize(decoderPath)]);
  if (enc === null || dec === null) return null;
  return { name, dir, encoderPath, decoderPath, bytes: enc + dec, manifest: await readManifest(dir) };
}

async function readManifest(dir: string): Promise<ModelManifest | null> {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    // Missing or unreadable: treated as a custom model rather than an error, so a stray edit
    // to model.json never makes a working model disappear.
    return null;
  }
}

export async function writeManifest(dir: string, manifest: ModelManifest): Promise<void> {
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Every installed model directory under `modelsDir` (none if it does not exist yet). */
export async function listInstalled(modelsDir: string): Promise<InstalledModel[]> {
  let names: string[];
  try {
    names = (await readdir(modelsDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
  const found = await Promise.all(names.sort().map((n) => readInstalled(modelsDir, n)));
  return found.filter((m): m is InstalledModel => m !== null);
}
