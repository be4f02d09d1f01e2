/**
 * Runs one accepted (already paid-for) job through the engine and settles it: the mask is stored
 * and the reservation kept, or the job fails and the reservation is refunded in the same
 * transaction that marks it failed. Used inline for synchronous requests and by the worker.
 */
import type { Clock } from '../clock/clock.js';
import type { CreditService } from '../credits/credit-service.js';
import type { Engine, SegmentResult } from '../engine/index.js';
import { isAppError } from '../errors/app-error.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { JobStore } from './job-store.js';
import type { JobRecord } from './job-types.js';

export interface JobRunner {
  /**
   * Processes a pending or processing job. `image` defaults to the job's stored upload.
   * @returns the settled job and, if it failed, the reason (an AppError or an unexpected error).
   *   `retry`: the engine was overloaded and `retryOnOverload` was set; the job is pending again.
   */
  run(
    job: JobRecord,
    opts?: { image?: Uint8Array; signal?: AbortSignal; retryOnOverload?: boolean },
  ): Promise<{ job: JobRecord; error?: unknown; retry?: boolean }>;
  /** Marks a job failed and refunds its reservation (also used for jobs interrupted by a crash). */
  fail(job: JobRecord, message: string): JobRecord;
}

const maskKeyOf = (jobId: string) => `masks/${jobId}.png`;
export const uploadKeyOf = (jobId: string) => `uploads/${jobId}`;

/** Shown for failures whose details must stay in the log. */
const INTERNAL_FAILURE = 'Internal error while processing the image';

export function createJobRunner(opts: {
  store: JobStore;
  credits: CreditService;
  blobs: BlobStore;
  engine: Engine;
  clock: Clock;
  log: { error(obj: object, msg: string): void };
  onInference?: (result: SegmentResult) => void;
}): JobRunner {
  const { store, credits, blobs, clock } = opts;
  const reload = (id: string) => store.get(id) as JobRecord;

  function fail(job: JobRecord, message: string): JobRecord {
    store.atomically(() => {
      if (job.creditsReserved > 0) {
        credits.refund(job.accountId, job.creditsReserved, { jobId: job.id, note: 'image failed' });
      }
      store.fail(job.id, message, clock.now());
    });
    return reload(job.id);
  }

  async function dropUpload(job: JobRecord) {
    if (job.uploadKey === null) return;
    await blobs.delete(job.uploadKey);
    store.clearUpload(job.id);
  }

  return {
    fail,
    async run(job, { image, signal, retryOnOverload = false } = {}) {
      if (job.status === 'pending' && !store.markProcessing(job.id, clock.now())) {
        return { job: reload(job.id) }; // someone else took it
      }
      try {
        const bytes = image ?? (job.uploadKey === null ? null : await blobs.get(job.uploadKey));
        if (bytes === null) {
          const failed = fail(job, 'The uploaded file is no longer available');
          return { job: failed, error: new Error(`upload of job ${job.id} is missing`) };
        }
        const result = await opts.engine.segment({ image: bytes, prompts: job.prompts, signal });
        opts.onInference?.(result);
        const maskKey = maskKeyOf(job.id);
        await blobs.put(maskKey, result.mask);
        store.complete(job.id, {
          outputWidth: result.width,
          outputHeight: result.height,
          processingTimeMs: Math.round(result.timings.totalMs * 10) / 10,
          maskKey,
          at: clock.now(),
        });
        await dropUpload(job);
        return { job: reload(job.id) };
      } catch (error) {
        if (retryOnOverload && isAppError(error) && error.code === 'overloaded') {
          store.markPending(job.id);
          return { job: reload(job.id), retry: true };
        }
        if (!isAppError(error)) opts.log.error({ err: error, jobId: job.id }, 'job failed unexpectedly');
        const failed = fail(job, isAppError(error) ? error.message : INTERNAL_FAILURE);
        await dropUpload(job);
        return { job: failed, error };
      }
    },
  };
}
