/** `maskd models <list|pull>`. */
import { type CliContext, type Command, UsageError } from './cli-context.js';
import { MODELS_LIST_USAGE, runModelsList } from './models-list.js';
import { MODELS_PULL_USAGE, runModelsPull } from './models-pull.js';

const USAGE = `usage: maskd models <command>

  list   show bundled, downloadable and installed models
  pull   download and verify a model

${MODELS_LIST_USAGE}
${MODELS_PULL_USAGE}`;

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list and download models',
  async run(ctx: CliContext): Promise<number> {
    const [sub, ...rest] = ctx.args;
    const subCtx = { ...ctx, args: rest };
    switch (sub) {
      case 'list':
        return runModelsList(subCtx);
      case 'pull':
        return runModelsPull(subCtx);
      case '--help':
      case '-h':
        ctx.stdout.write(USAGE);
        return 0;
      case undefined:
        throw new UsageError('missing subcommand (list or pull)', 'models');
      default:
        throw new UsageError(`unknown subcommand "${sub}" (expected list or pull)`, 'models');
    }
  },
};
