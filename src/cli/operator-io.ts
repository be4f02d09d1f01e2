/**
 * Shared plumbing of the operator commands (accounts, keys, credits): dispatch to a subcommand,
 * open the account services on the configured data dir for the duration of one command, and
 * print either one JSON object (`--json`, for scripts) or a line of text (for people).
 */
import { pino } from 'pino';
import { type AccountDeps, createAccountDeps } from '../deps.js';
import { type CliContext, type Command, UsageError } from './cli-context.js';

/**
 * `maskd <name> <sub> …`: runs `handlers[sub]` with the arguments after it; `--help` prints
 * `usage`; a missing or unknown subcommand is a UsageError naming the choices.
 */
export function subcommands(
  name: string,
  usage: string,
  handlers: Record<string, (ctx: CliContext, args: string[]) => Promise<number>>,
): Command['run'] {
  return async (ctx) => {
    const [sub, ...rest] = ctx.args;
    if (sub === '--help' || sub === '-h') return printUsage(ctx, usage);
    // hasOwn: `maskd accounts toString` must not reach Object.prototype.
    if (sub !== undefined && Object.hasOwn(handlers, sub)) return handlers[sub](ctx, rest);
    const expected = Object.keys(handlers).join(' or ');
    throw new UsageError(
      sub ? `unknown subcommand "${sub}" (expected ${expected})` : 'missing subcommand',
      name,
    );
  };
}

export function printUsage(ctx: CliContext, usage: string): number {
  ctx.stdout.write(usage);
  return 0;
}

export async function withAccountDeps<T>(
  ctx: CliContext,
  fn: (deps: AccountDeps) => Promise<T> | T,
): Promise<T> {
  const config = ctx.config();
  // Logs go nowhere: an operator command's output is its answer, nothing else.
  const deps = await createAccountDeps(config, { log: pino({ level: 'silent' }) });
  try {
    return await fn(deps);
  } finally {
    await deps.close();
  }
}

/** `--json`: exactly one JSON object on stdout; otherwise `text`. */
export function printResult(ctx: CliContext, json: boolean, object: object, text: string): void {
  ctx.stdout.write(json ? `${JSON.stringify(object)}\n` : `${text}\n`);
}

/** A positive integer option, or a UsageError naming it. */
export function positiveInt(value: string | undefined, option: string, command: string): number {
  const n = Number(required(value, option, command));
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`--${option} must be a positive integer`, command);
  }
  return n;
}

/** A non-negative integer option (0 allowed), or a UsageError naming it. */
export function nonNegativeInt(value: string | undefined, option: string, command: string): number {
  const text = required(value, option, command);
  const n = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(n) || n < 0) {
    throw new UsageError(`--${option} must be a whole number, 0 or more`, command);
  }
  return n;
}

export function required(value: string | undefined, option: string, command: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${option} is required`, command);
  return value;
}
