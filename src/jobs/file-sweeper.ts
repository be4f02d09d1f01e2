/**
 * Deletes masks (and any leftover uploads) of jobs finished more than `retentionMs` ago, by the
 * injected clock, and forgets idempotency keys past their TTL (their lookups already ignore
 * them; this only frees the rows). `sweep()` is what the timer calls and what tests call directly.
 */
import type { Clock } from '../clock/clock.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { IdempotencyKeys } from './idempotency-keys.js';
import type { JobStore } from './job-store.js';

export interface FileSweeper {
  /** @returns how many jobs had blobs deleted. */
  sweep(): Promise<number>;
  /** Sweeps every `intervalMs` until `stop()`; the timer does not keep the process alive. */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

const PAGE = 500;

export function createFileSweeper(opts: {
  store: JobStore;
  blobs: BlobStore;
  clock: Clock;
  retentionMs: number;
  idempotencyKeys: IdempotencyKeys;
  log: { error(obj: object, msg: string): void };
}): FileSweeper {
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<number> | null = null;

  async function sweepAll(): Promise<number> {
    opts.idempotencyKeys.expire();
    const before = opts.clock.now() - opts.retentionMs;
    let swept = 0;
    for (;;) {
      const page = opts.store.expiredBlobs(before, PAGE);
      for (const job of page) {
        if (job.maskKey) await opts.blobs.delete(job.maskKey);
        if (job.uploadKey) await opts.blobs.delete(job.uploadKey);
        opts.store.clearBlobs(job.id);
      }
      swept += page.length;
      if (page.length < PAGE) return swept;
    }
  }

  // One sweep at a time: a slow disk must not stack timer ticks.
  const sweep = () => {
    inFlight ??= sweepAll().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  return {
    sweep,
    start(intervalMs) {
      timer = setInterval(() => {
        sweep().catch((err) => opts.log.error({ err }, 'file sweep failed'));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await inFlight?.catch(() => {});
    },
  };
}
