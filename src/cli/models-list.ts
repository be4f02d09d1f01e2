/** `maskd models list`: every known model plus any custom one installed, as a table or JSON. */
import { stat } from 'node:fs/promises';
import { isVerifiable, type KnownModel, type ModelRegistry } from '../models/model-registry.js';
import { type InstalledModel, listInstalled } from '../models/model-store.js';
import { loadRegistry } from '../models/registry-file.js';
import type { CliContext } from './cli-context.js';
import { parseCommandArgs } from './parse-command-args.js';
import { formatBytes, formatTable } from './text-format.js';

export const MODELS_LIST_USAGE = `usage: maskd models list [--json]

Lists the bundled model, the downloadable ones and any installed under the models dir
(MASKD_MODELS_DIR, default <MASKD_DATA_DIR>/models). The default (MASKD_MODEL) is marked *.

  --json   print a JSON array instead of a table
`;

/** One row of the listing; also the `--json` output element. */
export interface ModelListing {
  name: string;
  family: string;
  licence: string;
  /** Installed size, else the published size; null when unknown. */
  bytes: number | null;
  /** True when `bytes` is a rounded figure from the hosting page. */
  bytesApprox: boolean;
  installed: boolean;
  default: boolean;
  bundled: boolean;
  /** 'bundled' | 'verified' (sha256 published) | 'checksum unknown' | 'custom'. */
  checksum: 'bundled' | 'verified' | 'checksum unknown' | 'custom';
  path: string | null;
}

export async function runModelsList(ctx: CliContext): Promise<number> {
  const { values } = parseCommandArgs('models list', ctx.args, { json: { type: 'boolean' } });
  if (values.help) {
    ctx.stdout.write(MODELS_LIST_USAGE);
    return 0;
  }
  const config = ctx.config();
  const registry = await loadRegistry(config.engine.registryFile);
  const listing = await listModels(
    registry,
    await listInstalled(config.engine.modelsDir),
    config.engine.model,
  );
  if (values.json) {
    ctx.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    return 0;
  }
  const rows = listing.map((m) => [
    `${m.default ? '*' : ' '} ${m.name}`,
    m.family,
    m.bytes === null ? '?' : `${m.bytesApprox ? '~' : ''}${formatBytes(m.bytes)}`,
    m.licence,
    m.installed ? 'yes' : 'no',
    m.checksum,
  ]);
  ctx.stdout.write(
    `${formatTable([['  NAME', 'FAMILY', 'SIZE', 'LICENCE', 'INSTALLED', 'CHECKSUM'], ...rows])}\n`,
  );
  ctx.stdout.write(`\nmodels dir: ${config.engine.modelsDir}\n`);
  return 0;
}

async function listModels(
  registry: ModelRegistry,
  installed: InstalledModel[],
  defaultName: string,
): Promise<ModelListing[]> {
  const byName = new Map(installed.map((m) => [m.name, m]));
  const known = await Promise.all(registry.models.map((m) => listKnown(m, byName.get(m.name), defaultName)));
  const custom = installed
    .filter((m) => registry.find(m.name) === undefined)
    .map(
      (m): ModelListing => ({
        name: m.name,
        family: m.manifest?.family ?? 'unknown',
        licence: m.manifest?.licence ?? 'unknown',
        bytes: m.bytes,
        bytesApprox: false,
        installed: true,
        default: m.name === defaultName,
        bundled: false,
        checksum: 'custom',
        path: m.dir,
      }),
    );
  return [...known, ...custom];
}

async function listKnown(
  m: KnownModel,
  inst: InstalledModel | undefined,
  defaultName: string,
): Promise<ModelListing> {
  const base = { name: m.name, family: m.family, licence: m.licence, default: m.name === defaultName };
  if (m.kind === 'bundled') {
    const [e, d] = await Promise.all([stat(m.encoderPath), stat(m.decoderPath)]);
    return {
      ...base,
      bytes: e.size + d.size,
      bytesApprox: false,
      installed: true,
      bundled: true,
      checksum: 'bundled',
      path: m.encoderPath,
    };
  }
  const { encoder, decoder } = m.files;
  const exact = encoder.bytes !== null && decoder.bytes !== null ? encoder.bytes + decoder.bytes : null;
  const approxE = encoder.bytes ?? encoder.approxBytes;
  const approxD = decoder.bytes ?? decoder.approxBytes;
  const approx = approxE !== undefined && approxD !== undefined ? approxE + approxD : null;
  return {
    ...base,
    bytes: inst?.bytes ?? exact ?? approx,
    bytesApprox: inst === undefined && exact === null && approx !== null,
    installed: inst !== undefined,
    bundled: false,
    checksum: isVerifiable(m) ? 'verified' : 'checksum unknown',
    path: inst?.dir ?? null,
  };
}
