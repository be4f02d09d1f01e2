/**
 * Folder mode of `maskd segment`: every image in a folder (not recursive), the same prompts,
 * one mask each into an output folder. A failing image is recorded and skipped, never fatal;
 * the exit code is 1 if any failed.
 *
 * Throughput comes from running `jobs` images at once, each on its own model worker with its
 * share of the cores (see `intraOpThreadsFor`): measured on 2 cores (npm run bench) that is
 * ~1.85× one core, while one worker spreading each image over both cores gets ~1.6×.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Engine, Prompts } from '../engine/index.js';
import { isAppError } from '../errors/app-error.js';
import { type CliContext, UsageError } from './cli-context.js';
import { createProgressBar } from './progress-bar.js';

const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

export interface SegmentFolderOptions {
  ctx: CliContext;
  config: Config;
  prompts: Prompts;
  inputDir: string;
  outDir: string;
  /** Images in flight at once (engine concurrency); capped at the number of images. */
  jobs: number;
  json: boolean;
}

type ImageOutcome =
  | { input: string; output: string; score: number }
  | { input: string; error: { code: string; message: string } };

export async function segmentFolder(o: SegmentFolderOptions): Promise<number> {
  const { ctx } = o;
  const files = (await readdir(o.inputDir, { withFileTypes: true }))
    .filter((d) => d.isFile() && IMAGE_EXTENSIONS.includes(extname(d.name).toLowerCase()))
    .map((d) => d.name)
    .sort();
  if (files.length === 0) {
    ctx.stderr.write(`maskd: no ${IMAGE_EXTENSIONS.join('/')} images in ${o.inputDir}\n`);
    return 1;
  }
  await makeDir(o.outDir); // before the model loads: a bad -o fails at once
  // Sized only now: no worker (and no copy of the model) for images that are not there.
  const concurrency = Math.min(o.jobs, files.length);
  const engine = await ctx.openEngine({ ...o.config, engine: { ...o.config.engine, concurrency } });
  let outcomes: ImageOutcome[];
  try {
    outcomes = await segmentAll(o, engine, files, concurrency);
  } finally {
    await engine.close();
  }

  const failed = outcomes.filter((r): r is Extract<ImageOutcome, { error: unknown }> => 'error' in r);
  const ok = outcomes.length - failed.length;
  if (o.json) {
    ctx.stdout.write(
      `${JSON.stringify({ ok, failed: failed.length, outDir: o.outDir, results: outcomes })}\n`,
    );
  } else {
    ctx.stdout.write(`${ok} ok, ${failed.length} failed; masks in ${o.outDir}\n`);
    for (const f of failed) ctx.stdout.write(`  failed: ${f.input}: ${f.error.message} (${f.error.code})\n`);
  }
  return failed.length > 0 ? 1 : 0;
}

async function segmentAll(
  o: SegmentFolderOptions,
  engine: Engine,
  files: string[],
  concurrency: number,
): Promise<ImageOutcome[]> {
  const outNames = maskFileNames(files);
  const bar = createProgressBar({ out: o.ctx.stderr, label: 'segment', clock: o.ctx.clock });
  const outcomes: ImageOutcome[] = new Array(files.length);
  let finished = 0;
  bar.update(0, files.length);

  // One more in flight than the engine runs keeps a decoded image waiting while this process
  // reads files and writes masks, so no inference slot sits idle. The engine's queue holds at
  // least one waiting request (MASKD_QUEUE_SIZE >= 1), so none is refused as `overloaded`.
  const workers = Math.min(files.length, concurrency + 1);
  let next = 0;
  const work = async () => {
    while (next < files.length) {
      const i = next++;
      const input = join(o.inputDir, files[i] as string);
      try {
        const result = await engine.segment({ image: await readFile(input), prompts: o.prompts });
        const output = join(o.outDir, outNames[i] as string);
        await writeFile(output, result.mask);
        outcomes[i] = { input, output, score: result.score };
      } catch (err) {
        outcomes[i] = { input, error: describe(err) };
      }
      bar.update(++finished, files.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, work));
  } finally {
    bar.finish();
  }
  return outcomes;
}

/** `cat.jpg` → `cat.mask.png`; when two inputs share a stem (cat.jpg, cat.png) keep the extension. */
export function maskFileNames(files: string[]): string[] {
  const stem = (f: string) => f.slice(0, f.length - extname(f).length);
  const counts = new Map<string, number>();
  for (const f of files) counts.set(stem(f), (counts.get(stem(f)) ?? 0) + 1);
  return files.map((f) => `${(counts.get(stem(f)) ?? 0) > 1 ? f : stem(f)}.mask.png`);
}

/** Errors that mean "this path cannot be written", i.e. a bad -o rather than a broken machine. */
const PATH_ERRORS: ReadonlySet<string> = new Set([
  'EACCES',
  'EPERM',
  'EISDIR',
  'ENOTDIR',
  'EEXIST',
  'EROFS',
  'ENOENT', // from mkdir -p: a path the OS will not create (e.g. under /proc)
]);

function pathError(err: unknown, what: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === undefined || !PATH_ERRORS.has(code)) return err;
  return new UsageError(`-o: cannot ${what} (${code})`, 'segment');
}

/** mkdir -p. @throws UsageError when the path cannot be a folder. */
export async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw pathError(err, `create the folder ${dir}`);
  }
}

/** Writes one mask into an existing folder. @throws UsageError for an unwritable path. */
export async function writeOutput(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (err) {
    throw pathError(err, `write ${path}`);
  }
}

function describe(err: unknown): { code: string; message: string } {
  if (isAppError(err)) return { code: err.code, message: err.message };
  // Unexpected errors still only cost this one image; the message is local, not a leak.
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
