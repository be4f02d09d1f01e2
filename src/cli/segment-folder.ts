/**
 * Folder mode of `maskd segment`: every image in a folder (not recursive), the same prompts,
 * one mask each into an output folder. A failing image is recorded and skipped, never fatal;
 * the exit code is 1 if any failed.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Config } from '../config/config.js';
import type { Engine, Prompts } from '../engine/index.js';
import { isAppError } from '../errors/app-error.js';
import type { CliContext } from './cli-context.js';
import { createProgressBar } from './progress-bar.js';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

export interface SegmentFolderOptions {
  ctx: CliContext;
  engine: Engine;
  prompts: Prompts;
  inputDir: string;
  outDir: string;
  config: Config;
  json: boolean;
}

type ImageOutcome =
  | { input: string; output: string; score: number }
  | { input: string; error: { code: string; message: string } };

export async function segmentFolder(o: SegmentFolderOptions): Promise<number> {
  const { ctx, engine, prompts } = o;
  const files = (await readdir(o.inputDir, { withFileTypes: true }))
    .filter((d) => d.isFile() && IMAGE_EXTENSIONS.includes(extname(d.name).toLowerCase()))
    .map((d) => d.name)
    .sort();
  if (files.length === 0) {
    ctx.stderr.write(`maskd: no ${IMAGE_EXTENSIONS.join('/')} images in ${o.inputDir}\n`);
    return 1;
  }
  await mkdir(o.outDir, { recursive: true });
  const outNames = maskFileNames(files);

  const bar = createProgressBar({ out: ctx.stderr, label: 'segment', clock: ctx.clock });
  const outcomes: ImageOutcome[] = new Array(files.length);
  let finished = 0;
  bar.update(0, files.length);

  // The engine runs `concurrency` inferences at once; one more in flight keeps a decoded image
  // waiting while this process reads files and writes masks, so no inference slot sits idle.
  // It never exceeds the engine's queue (queueSize >= 1), so no image is refused as `overloaded`.
  const workers = Math.min(files.length, o.config.engine.concurrency + 1);
  let next = 0;
  const work = async () => {
    while (next < files.length) {
      const i = next++;
      const name = files[i] as string;
      const input = join(o.inputDir, name);
      try {
        const result = await engine.segment({ image: await readFile(input), prompts });
        const output = join(o.outDir, outNames[i] as string);
        await writeFile(output, result.mask);
        outcomes[i] = { input, output, score: result.score };
      } catch (err) {
        outcomes[i] = { input, error: describe(err) };
      }
      bar.update(++finished, files.length);
    }
  };
  await Promise.all(Array.from({ length: workers }, work));
  bar.finish();

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

/** `cat.jpg` → `cat.mask.png`; when two inputs share a stem (cat.jpg, cat.png) keep the extension. */
export function maskFileNames(files: string[]): string[] {
  const stem = (f: string) => f.slice(0, f.length - extname(f).length);
  const counts = new Map<string, number>();
  for (const f of files) counts.set(stem(f), (counts.get(stem(f)) ?? 0) + 1);
  return files.map((f) => `${(counts.get(stem(f)) ?? 0) > 1 ? f : stem(f)}.mask.png`);
}

function describe(err: unknown): { code: string; message: string } {
  if (isAppError(err)) return { code: err.code, message: err.message };
  // Unexpected errors still only cost this one image; the message is local, not a leak.
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
