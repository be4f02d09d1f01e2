/**
 * The `maskd` entry point (bin/maskd.js calls `main(process.argv.slice(2))`).
 *
 * Dispatches to one command from `commands.ts` and owns the exit-code contract:
 * 0 ok, 1 runtime failure, 2 usage or configuration error. Failures print one line; the stack
 * only with MASKD_DEBUG=1.
 */
import { createRequire } from 'node:module';
import { systemClock } from '../clock/clock.js';
import { type Config, ConfigError, loadConfig } from '../config/config.js';
import { isAppError } from '../errors/app-error.js';
import { openEngine } from '../models/open-engine.js';
import { type CliContext, type Command, type OutputStream, UsageError } from './cli-context.js';
import { commands as defaultCommands } from './commands.js';

export interface MainOptions {
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  stdout?: OutputStream;
  stderr?: OutputStream;
  commands?: readonly Command[];
  /** Replace the ports (engine factory, fetch, clock) for in-process tests. */
  ports?: Partial<Pick<CliContext, 'openEngine' | 'fetch' | 'clock'>>;
}

/** Runs one command; sets `process.exitCode` and also returns it. Never throws. */
export async function main(argv: string[], opts: MainOptions = {}): Promise<number> {
  const code = await run(argv, opts);
  process.exitCode = code;
  return code;
}

async function run(argv: string[], opts: MainOptions): Promise<number> {
  // The one place the CLI touches the environment: handed to the config module, which parses it.
  const env = opts.env ?? process.env;
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const commands = opts.commands ?? defaultCommands;
  const [name, ...args] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      (name === undefined ? stderr : stdout).write(globalUsage(commands));
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-v') {
      stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    const command = commands.find((c) => c.name === name);
    if (command === undefined) throw new UsageError(`unknown command "${name}"`);

    let config: Config | undefined;
    const ctx: CliContext = {
      args,
      cwd: opts.cwd ?? process.cwd(),
      stdout,
      stderr,
      clock: opts.ports?.clock ?? systemClock,
      config: () => {
        config ??= loadConfig(env, opts.cwd);
        return config;
      },
      openEngine: opts.ports?.openEngine ?? openEngine,
      fetch: opts.ports?.fetch ?? ((url, init) => fetch(url, init)),
    };
    return await command.run(ctx);
  } catch (err) {
    return reportError(err, stderr, env.MASKD_DEBUG === '1');
  }
}

/** One line per failure, and the exit code for it. */
function reportError(err: unknown, stderr: OutputStream, debug: boolean): number {
  let code = 1;
  if (err instanceof UsageError) {
    const help = err.command ? `maskd ${err.command} --help` : 'maskd --help';
    stderr.write(`maskd: ${err.message} (see: ${help})\n`);
    code = 2;
  } else if (err instanceof ConfigError) {
    stderr.write(`maskd: invalid configuration: ${err.problems.join('; ')}\n`);
    code = 2;
  } else if (isAppError(err)) {
    stderr.write(`maskd: ${err.message}\n`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    stderr.write(`maskd: unexpected error: ${message}${debug ? '' : ' (set MASKD_DEBUG=1 for details)'}\n`);
  }
  if (debug && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
  return code;
}

function globalUsage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `usage: maskd <command> [options]

${list}

Run "maskd <command> --help" for a command's options. Configuration comes from MASKD_*
environment variables (see the README).
`;
}

function packageVersion(): string {
  // dist/src/cli/main.js and src/cli/main.ts are both three levels below package.json.
  return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
}
