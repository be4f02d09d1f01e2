/**
 * Run the built CLI the way a user does (`node bin/maskd.js …` in a child process) with a
 * clean environment: only PATH/HOME plus what the test passes.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EVAL_DIR } from '../helpers/shared-files.js';

/** Repo root, from dist/test/cli/run-cli.js. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MASKD_BIN = `${REPO_ROOT}bin/maskd.js`;
/** The shared evaluation set, with a trailing slash (callers append names). */
export const EVAL_DEV = `${EVAL_DIR}/`;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd: string; env: Record<string, string> }): Promise<CliRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...opts.env };
  return new Promise((done) => {
    execFile(
      process.execPath,
      [MASKD_BIN, ...args],
      { cwd: opts.cwd, env, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}
