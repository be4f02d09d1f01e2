/**
 * Shared plumbing of the operator commands (accounts, keys, credits): open the account services
 * on the configured data dir for the duration of one command, and print either one JSON object
 * (`--json`, for scripts) or a line of text (for people).
 */
import { type AccountDeps, createAccountDeps } from '../deps.js';
import type { CliContext } from './cli-context.js';
import { UsageError } from './cli-context.js';

export async function withAccountDeps<T>(
  ctx: CliContext,
  fn: (deps: AccountDeps) => Promise<T> | T,
): Promise<T> {
  const config = ctx.config();
  // Logs go nowhere: an operator command's output is its answer, nothing else.
  const deps = await createAccountDeps(config, { log: silentLogger() });
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

function silentLogger() {
  // pino's API subset the account services may touch; they log nothing today.
  const noop = () => {};
  const logger = {
    level: 'silent',
    info: noop,
    warn: noop,
    error: noop,
    debug: noop,
    trace: noop,
    fatal: noop,
  };
  return { ...logger, child: () => logger } as unknown as AccountDeps['log'];
}
