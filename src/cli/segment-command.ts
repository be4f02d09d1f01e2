/**
 * `maskd segment <image|folder> (--points JSON [--labels JSON] | --box JSON) [-o OUT]`
 *
 * Prompts use exactly the HTTP API's syntax and parser, so a prompt that works with curl works
 * here and fails here with the same message.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { type Engine, type Prompts, parsePrompts } from '../engine/index.js';
import { isAppError } from '../errors/app-error.js';
import { type CliContext, type Command, UsageError } from './cli-context.js';
import { parseCommandArgs } from './parse-command-args.js';
import { segmentFolder } from './segment-folder.js';

const USAGE = `usage: maskd segment <image|folder> (--points JSON [--labels JSON] | --box JSON) [-o OUT]

Writes a PNG mask (8-bit grayscale, 255 = selected) per image. Prompts are JSON, in pixels of
the image as displayed, exactly as in the HTTP API:
  --points '[[x,y],...]'   clicks; --labels '[1,0,...]' marks each as foreground (1) or background (0)
  --box '[x1,y1,x2,y2]'    a bounding box (may be combined with points)

A folder segments every .jpg/.jpeg/.png/.webp in it with the same prompts.

  -o, --output PATH   single image: the mask file (default ./<name>.mask.png);
                      folder: the output folder (default ./<folder>.masks), created if missing
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
    const input = resolve(ctx.cwd, positionals[0] as string);
    const inputStat = await stat(input).catch(() => null);
    if (inputStat === null) throw new UsageError(`no such file or folder: ${positionals[0]}`, 'segment');

    const base = ctx.config();
    const config: Config = values.model ? { ...base, engine: { ...base.engine, model: values.model } } : base;
    const engine = await ctx.openEngine(config);
    try {
      if (inputStat.isDirectory()) {
        const outDir = resolve(ctx.cwd, values.output ?? `${basename(input)}.masks`);
        return await segmentFolder({
          ctx,
          engine,
          prompts,
          inputDir: input,
          outDir,
          config,
          json: values.json === true,
        });
      }
      return await segmentOne(ctx, engine, prompts, input, values.output, values.json === true);
    } finally {
      await engine.close();
    }
  },
};

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

async function segmentOne(
  ctx: CliContext,
  engine: Engine,
  prompts: Prompts,
  input: string,
  output: string | undefined,
  json: boolean,
): Promise<number> {
  const out = resolve(ctx.cwd, output ?? `${basename(input, extname(input))}.mask.png`);
  const result = await engine.segment({ image: await readFile(input), prompts });
  await writeFile(out, result.mask);
  if (json) {
    const { width, height, score, timings } = result;
    ctx.stdout.write(`${JSON.stringify({ input, output: out, width, height, score, timings })}\n`);
  } else {
    ctx.stdout.write(`${out}  ${result.width}x${result.height}  score ${result.score.toFixed(3)}\n`);
  }
  return 0;
}
