/**
 * What every CLI command receives: its arguments, the streams, config and the side-effecting
 * ports it may use. `main` builds the real one; an in-process test can build its own.
 */
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { Engine } from '../engine/types.js';
import type { FetchPort } from '../models/downloader.js';

export interface OutputStream {
  write(chunk: string): unknown;
  /** Set on terminals: progress bars redraw in place instead of printing lines. */
  isTTY?: boolean;
}

export interface CliContext {
  /** Arguments after the command name. */
  args: string[];
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
  clock: Clock;
  /** Parsed on first use, so `--help` works even when the environment is invalid. */
  config(): Config;
  openEngine(config: Config): Promise<Engine>;
  fetch: FetchPort;
}

export interface Command {
  name: string;
  /** One line for `maskd --help`. */
  summary: string;
  /** Returns the exit code: 0 ok, 1 runtime failure (2, usage, is thrown as UsageError). */
  run(ctx: CliContext): Promise<number>;
}

/** Bad invocation: printed as one line with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command whose `--help` to point at, e.g. `segment` or `models pull`. */
    readonly command?: string,
  ) {
    super(message);
  }
}
