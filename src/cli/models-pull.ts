/** `maskd models pull <name>`: resumable, sha256-verified install with a progress bar. */

import { type ModelPart, type PullResult, pullModel } from '../models/pull-model.js';
import { loadRegistry } from '../models/registry-file.js';
import { type CliContext, UsageError } from './cli-context.js';
import { parseCommandArgs } from './parse-command-args.js';
import { createProgressBar, type ProgressBar } from './progress-bar.js';
import { formatBytes } from './text-format.js';

export const MODELS_PULL_USAGE = `usage: maskd models pull <name> [--force]

Downloads a model's encoder and decoder into <models dir>/<name>/, verifying each file's
sha256 before it is put in place. An interrupted pull resumes where it stopped when run again.
Models whose checksum is unknown are refused (see maskd models list).

  --force   download again even if the model is installed
`;

export async function runModelsPull(ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommandArgs('models pull', ctx.args, { force: { type: 'boolean' } });
  if (values.help) {
    ctx.stdout.write(MODELS_PULL_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'missing model name' : 'expected one model name',
      'models pull',
    );
  }
  const config = ctx.config();
  const registry = await loadRegistry(config.engine.registryFile);
  const model = registry.findLoose(positionals[0] as string);
  if (model === undefined) {
    const known = registry.models.map((m) => m.name).join(', ');
    throw new UsageError(`unknown model "${positionals[0]}" (known: ${known})`, 'models pull');
  }
  const name = model.name;
  if (model.kind === 'bundled') {
    ctx.stdout.write(`${name} is bundled with maskd; nothing to download\n`);
    return 0;
  }

  // The files download one after the other: one bar at a time, the previous one finished.
  let bar: { part: ModelPart; progress: ProgressBar } | undefined;
  const barFor = (part: ModelPart): ProgressBar => {
    if (bar?.part !== part) {
      bar?.progress.finish();
      const progress = createProgressBar({
        out: ctx.stderr,
        label: part.padEnd(7),
        clock: ctx.clock,
        format: formatBytes,
      });
      bar = { part, progress };
    }
    return bar.progress;
  };
  let result: PullResult;
  try {
    result = await pullModel({
      model,
      modelsDir: config.engine.modelsDir,
      force: values.force === true,
      fetch: ctx.fetch,
      onProgress: (part, done, total) => barFor(part).update(done, total),
    });
  } finally {
    // On failure too, so the error message starts on a fresh line.
    bar?.progress.finish();
  }
  ctx.stdout.write(
    result.alreadyInstalled
      ? `${name} is already installed in ${result.dir} (use --force to download it again)\n`
      : `installed ${name} in ${result.dir}\n`,
  );
  return 0;
}
