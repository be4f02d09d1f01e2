/**
 * An optional JSON registry file (`MASKD_MODEL_REGISTRY`) adds or replaces downloadable models:
 * a private mirror, a model exported in-house, or (in tests) a local HTTP server.
 *
 * @example file contents
 *   [{ "name": "sam2_hiera_small", "family": "sam2", "licence": "Apache-2.0", "source": "our mirror",
 *      "files": {
 *        "encoder": { "url": "https://mirror.example/sam2s.encoder.onnx", "bytes": null, "sha256": "b679…" },
 *        "decoder": { "url": "https://mirror.example/sam2s.decoder.onnx", "bytes": null, "sha256": "1ec2…" } } }]
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../config/config.js';
import {
  createRegistry,
  type DownloadableModel,
  downloadableModelSchema,
  type ModelRegistry,
} from './model-registry.js';

const registryFileSchema = z.array(downloadableModelSchema);

/** Parse registry-file text. @throws ConfigError naming the file and every bad field. */
export function parseRegistryFile(text: string, path: string): DownloadableModel[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`MASKD_MODEL_REGISTRY: ${path} is not valid JSON (${(err as Error).message})`]);
  }
  const parsed = registryFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `MASKD_MODEL_REGISTRY: ${path}: [${i.path.join('.')}] ${i.message}`),
    );
  }
  return parsed.data.map((m) => ({ ...m, kind: 'download' as const }));
}

/** The registry for a config: built-ins plus the registry file's entries, if one is set. */
export async function loadRegistry(
  registryFile: string | null,
  read: (path: string) => Promise<string> = (p) => readFile(p, 'utf8'),
): Promise<ModelRegistry> {
  if (registryFile === null) return createRegistry();
  let text: string;
  try {
    text = await read(registryFile);
  } catch (err) {
    throw new ConfigError([`MASKD_MODEL_REGISTRY: cannot read ${registryFile} (${(err as Error).message})`]);
  }
  return createRegistry(parseRegistryFile(text, registryFile));
}
