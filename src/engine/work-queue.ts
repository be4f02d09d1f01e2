/**
 * A bounded FIFO in front of inference: at most `concurrency` tasks run at once, at most
 * `maxWaiting` wait; one more is refused at once with `overloaded` (503) rather than piling up
 * memory and latency. A waiting task whose signal aborts leaves the queue without running.
 *
 * @example
 *   const queue = createWorkQueue({ concurrency: 1, maxWaiting: 64 });
 *   const mask = await queue.run(() => infer(image), { signal });
 */
import { AppError } from '../errors/app-error.js';

export interface WorkQueue {
  /** Runs `task` when a slot is free. Rejects with `overloaded`, or the signal's reason if aborted while waiting. */
  run<T>(task: () => Promise<T>, opts?: { signal?: AbortSignal | undefined }): Promise<T>;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
  readonly running: number;
}

interface Waiter {
  start: () => void;
}

export function createWorkQueue(opts: { concurrency: number; maxWaiting: number }): WorkQueue {
  if (!(opts.concurrency >= 1)) throw new Error('concurrency must be at least 1');
  if (!(opts.maxWaiting >= 0)) throw new Error('maxWaiting must be at least 0');
  const waiters: Waiter[] = [];
  let running = 0;

  const next = () => {
    while (running < opts.concurrency && waiters.length > 0) waiters.shift()?.start();
  };

  async function run<T>(
    task: () => Promise<T>,
    { signal }: { signal?: AbortSignal | undefined } = {},
  ): Promise<T> {
    signal?.throwIfAborted();
    if (running >= opts.concurrency) {
      if (waiters.length >= opts.maxWaiting) {
        throw new AppError('overloaded', 'The server is busy; retry shortly');
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            running++; // claimed here, synchronously, so no later arrival can jump the queue
            resolve();
          },
        };
        waiters.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } else {
      running++;
    }
    try {
      return await task();
    } finally {
      running--;
      next();
    }
  }

  return {
    run,
    get waiting() {
      return waiters.length;
    },
    get running() {
      return running;
    },
  };
}
