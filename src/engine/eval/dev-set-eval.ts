/**
 * Quality check on a labelled set: one click and one box per object, mean IoU per prompt type.
 * Shared by `npm run eval` and the quality test, so both measure the same thing.
 *
 * The set is a folder with `cases.json` — entries `{ name, image, mask, click: [x, y],
 * box: [x1, y1, x2, y2] }`, paths relative to the folder — plus the images and the
 * ground-truth masks (grayscale PNG, object ≥ 128).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImage } from '../image-codec.js';
import type { Engine, Prompts } from '../types.js';
import { maskIou } from './mask-iou.js';

export interface EvalCase {
  name: string;
  image: string;
  mask: string;
  click: [number, number];
  box: [number, number, number, number];
}

export interface EvalResult {
  cases: { name: string; clickIou: number; boxIou: number }[];
  meanClickIou: number;
  meanBoxIou: number;
}

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export async function loadEvalCases(dir: string): Promise<EvalCase[]> {
  return JSON.parse(await readFile(join(dir, 'cases.json'), 'utf8')) as EvalCase[];
}

/** One channel of a decoded PNG: [H, W] uint8. */
async function readMask(bytes: Uint8Array): Promise<Uint8Array> {
  const img = await decodeImage(bytes, NO_LIMIT);
  const out = new Uint8Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = img.data[3 * i];
  return out;
}

/** Runs every case through `engine`, one request at a time. */
export async function evaluateDevSet(engine: Engine, dir: string, cases?: EvalCase[]): Promise<EvalResult> {
  const list = cases ?? (await loadEvalCases(dir));
  const results: EvalResult['cases'] = [];
  for (const c of list) {
    const image = await readFile(join(dir, c.image));
    const truth = await readMask(await readFile(join(dir, c.mask)));
    const iouFor = async (prompts: Prompts) => {
      const res = await engine.segment({ image, prompts });
      return maskIou(await readMask(res.mask), truth);
    };
    const clickIou = await iouFor({ points: [c.click], labels: [1], box: null });
    const boxIou = await iouFor({ points: [], labels: [], box: c.box });
    results.push({ name: c.name, clickIou, boxIou });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return {
    cases: results,
    meanClickIou: mean(results.map((r) => r.clickIou)),
    meanBoxIou: mean(results.map((r) => r.boxIou)),
  };
}
