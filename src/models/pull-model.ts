/**
 * Install a downloadable model into `<modelsDir>/<name>/`: both graphs downloaded and verified
 * (resumably, one after the other), then `model.json` written last as the "complete" marker.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors/app-error.js';
import { downloadFile, type FetchPort } from './downloader.js';
import { type DownloadableModel, isVerifiable } from './model-registry.js';
import {
  DECODER_FILE,
  ENCODER_FILE,
  fileSize,
  MANIFEST_FILE,
  modelDir,
  readInstalled,
  writeManifest,
} from './model-store.js';

export type ModelPart = 'encoder' | 'decoder';

export interface PullOptions {
  model: DownloadableModel;
  modelsDir: string;
  /** Download again even if installed. */
  force?: boolean;
  fetch?: FetchPort;
  /** Per-file progress; `total` null when neither the registry nor the server gave a size. */
  onProgress?: (part: ModelPart, done: number, total: number | null) => void;
  signal?: AbortSignal;
}

export interface PullResult {
  dir: string;
  /** True when nothing was downloaded because the model was already there. */
  alreadyInstalled: boolean;
}

/** @throws AppError `model_unavailable` (checksum unknown), `download_failed`, `checksum_mismatch`. */
export async function pullModel(opts: PullOptions): Promise<PullResult> {
  const { model, modelsDir } = opts;
  const dir = modelDir(modelsDir, model.name);
  if (!isVerifiable(model)) {
    throw new AppError(
      'model_unavailable',
      `model "${model.name}": checksum unknown (no published sha256), so maskd will not install it; ` +
        `to use it anyway, download the files yourself and save them as ${join(dir, ENCODER_FILE)} and ${DECODER_FILE}`,
    );
  }
  if (opts.force) {
    await Promise.all(
      [ENCODER_FILE, DECODER_FILE, MANIFEST_FILE].flatMap((f) => [
        rm(join(dir, f), { force: true }),
        rm(join(dir, `${f}.part`), { force: true }),
      ]),
    );
  } else if ((await readInstalled(modelsDir, model.name)) !== null) {
    return { dir, alreadyInstalled: true };
  }
  await mkdir(dir, { recursive: true });

  const parts: [ModelPart, string][] = [
    ['encoder', ENCODER_FILE],
    ['decoder', DECODER_FILE],
  ];
  for (const [part, fileName] of parts) {
    const dest = join(dir, fileName);
    // A file renamed into place was verified then; an interrupted pull skips it next time.
    if ((await fileSize(dest)) !== null) continue;
    const file = model.files[part];
    await downloadFile({
      url: file.url,
      dest,
      sha256: file.sha256,
      bytes: file.bytes,
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (done, total) => opts.onProgress?.(part, done, total),
    });
  }
  await writeManifest(dir, {
    name: model.name,
    family: model.family,
    licence: model.licence,
    source: model.source,
    sha256: { encoder: model.files.encoder.sha256, decoder: model.files.decoder.sha256 },
  });
  return { dir, alreadyInstalled: false };
}
