/**
 * The in-process worker behind `?async=true`: a FIFO of job ids, run `concurrency` at a time.
 * The database is the source of truth: the queue holds only ids of `pending` rows, so a restart
 * loses nothing — `recover()` re-queues what was pending and fails (and refunds) what a dead
 * process left `processing`, since its outcome is unknown and the client must not pay for it.
 *
 * @example
 *   const worker = createJobWorker({ store, runner, concurrency: 1, log });
 *   worker.recover(); worker.enqueue([job.id]); await worker.close();
 */
import type { JobRunner } from './job-runner.js';
import type { JobStore } from './job-store.js';

export interface JobWorker {
  enqueue(ids: readonly string[]): void;
  /** At start-up, before serving. @returns how many jobs were failed and re-queued. */
  recover(): { failed: number; requeued: number };
  /** Jobs waiting in the queue plus jobs running. */
  depth(): number;
  /** Stops taking jobs and waits for the running ones; queued ones stay `pending` in the db. */
  close(): Promise<void>;
}

/** How long an overloaded engine gets before the worker offers the job again. */
const RETRY_DELAY_MS = 250;

export function createJobWorker(opts: {
  store: JobStore;
  runner: JobRunner;
  concurrency: number;
  log: { error(obj: object, msg: string): void };
}): JobWorker {
  const queue: string[] = [];
  const running = new Set<Promise<void>>();
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;

  async function runOne(id: string) {
    const job = opts.store.get(id);
    if (job?.status !== 'pending') return;
    const { retry } = await opts.runner.run(job, { retryOnOverload: true });
    if (retry) {
      queue.unshift(id); // keep its place: batches complete in order
      retryTimer ??= setTimeout(() => {
        retryTimer = null;
        pump();
      }, RETRY_DELAY_MS);
    }
  }

  function pump() {
    while (!closed && retryTimer === null && running.size < opts.concurrency && queue.length > 0) {
      const id = queue.shift() as string;
      const p: Promise<void> = runOne(id)
        .catch((err) => opts.log.error({ err, jobId: id }, 'worker failed to run job'))
        .finally(() => {
          running.delete(p);
          pump();
        });
      running.add(p);
    }
  }

  return {
    enqueue(ids) {
      queue.push(...ids);
      pump();
    },
    recover() {
      const interrupted = opts.store.withStatus('processing');
      for (const job of interrupted) opts.runner.fail(job, 'Processing was interrupted by a server restart');
      const pending = opts.store.withStatus('pending').map((j) => j.id);
      queue.push(...pending);
      pump();
      return { failed: interrupted.length, requeued: pending.length };
    },
    depth: () => queue.length + running.size,
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
