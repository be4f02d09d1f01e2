/**
 * Segmentation jobs: accept an upload, pay for it, run it now or hand it to the worker, and read
 * jobs and batches back for their owner.
 *
 * The order of checks is fixed here so no model work happens for a request that cannot pay:
 *   balance covers one image (402) → read the upload (400/413) → header probe (415/400/413) →
 *   prompts inside the image (422) → reserve credits with the job row (402 if a concurrent
 *   request took them) → engine → settle (keep or refund).
 */
import type { Clock } from '../clock/clock.js';
import type { CreditService } from '../credits/credit-service.js';
import { checkPromptsInImage, type Engine, type ImageInfo, type Prompts } from '../engine/index.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { type RandomSource, randomUuid } from '../random/random-source.js';
import type { BlobStore } from '../storage/blob-store.js';
import { type BatchSummary, summarizeBatch } from './batch-summary.js';
import { type JobRunner, uploadKeyOf } from './job-runner.js';
import type { JobStore } from './job-store.js';
import type { BatchRecord, JobRecord, Upload } from './job-types.js';
import type { JobWorker } from './job-worker.js';

export interface BatchView {
  batch: BatchRecord;
  jobs: JobRecord[];
  summary: BatchSummary;
}

export interface JobService {
  /**
   * One image. `readUpload` is called only after the balance check, so a caller that cannot pay
   * is refused before its upload is read. Synchronous mode throws the image's AppError
   * (after refunding); async mode returns the pending job once the upload is stored.
   */
  segment(input: {
    accountId: string;
    prompts: Prompts;
    readUpload: () => Promise<Upload>;
    async: boolean;
    signal?: AbortSignal;
  }): Promise<JobRecord>;
  /**
   * Up to N images with the same prompts, processed in upload order while credits last; the rest
   * fail with "Insufficient credits". A file that cannot be read fails alone.
   * @throws `insufficient_credits` only when not even one image can be paid for at the start.
   */
  segmentBatch(input: {
    accountId: string;
    prompts: Prompts;
    uploads: AsyncIterable<Upload>;
    async: boolean;
  }): Promise<BatchView>;
  /** @throws `not_found` for unknown ids and other accounts' ids alike. */
  getJob(accountId: string, jobId: string): JobRecord;
  /** @throws `not_found` for unknown ids and other accounts' ids alike. */
  getBatch(accountId: string, batchId: string): BatchView;
  listJobs(accountId: string, page: { limit: number; offset: number }): JobRecord[];
  listBatches(accountId: string, page: { limit: number; offset: number }): BatchView[];
  /** The mask PNG of a completed job, or null once swept (the caller has checked the signature). */
  getMask(jobId: string): Promise<Buffer | null>;
}

export const INSUFFICIENT_CREDITS = 'Insufficient credits';
/** Errors that condemn one file of a batch, not the whole batch. */
const PER_FILE_ERRORS = new Set([
  'undecodable_image',
  'unsupported_media_type',
  'too_many_pixels',
  'invalid_prompt',
]);

export function createJobService(opts: {
  store: JobStore;
  credits: CreditService;
  blobs: BlobStore;
  engine: Engine;
  runner: JobRunner;
  worker: JobWorker;
  clock: Clock;
  random: RandomSource;
  creditsPerImage: number;
  maxBatchFiles: number;
}): JobService {
  const { store, credits, blobs, clock } = opts;
  const cost = opts.creditsPerImage;

  const assertCanPayOne = (accountId: string) => {
    if (credits.balance(accountId) < cost) throw new AppError('insufficient_credits', INSUFFICIENT_CREDITS);
  };

  /** Probe the header and check the prompts fit: everything that can fail before paying. */
  const inspect = async (bytes: Buffer, prompts: Prompts): Promise<ImageInfo> => {
    if (bytes.length === 0) throw new AppError('no_file', 'The uploaded file is empty', { field: 'file' });
    const info = await opts.engine.probe(bytes);
    checkPromptsInImage(prompts, info.width, info.height);
    return info;
  };

  const newJob = (
    base: Pick<JobRecord, 'id' | 'accountId' | 'prompts' | 'inputFilename'>,
    fields: Partial<JobRecord>,
  ): JobRecord => ({
    batchId: null,
    batchIndex: null,
    status: 'pending',
    originalWidth: null,
    originalHeight: null,
    outputWidth: null,
    outputHeight: null,
    processingTimeMs: null,
    creditsReserved: 0,
    creditsUsed: null,
    error: null,
    uploadKey: null,
    maskKey: null,
    createdAt: clock.now(),
    startedAt: null,
    finishedAt: null,
    ...base,
    ...fields,
  });

  /** Debit and insert together: a job row exists exactly when its credits were taken. */
  const reserveAndInsert = (job: JobRecord): boolean =>
    store.atomically(() => {
      if (cost > 0 && !credits.debit(job.accountId, cost, { jobId: job.id })) return false;
      store.insert({ ...job, creditsReserved: cost });
      return true;
    });

  const view = (batch: BatchRecord): BatchView => {
    const jobs = store.batchJobs(batch.id);
    return { batch, jobs, summary: summarizeBatch(jobs) };
  };

  return {
    async segment({ accountId, prompts, readUpload, async, signal }) {
      assertCanPayOne(accountId);
      const upload = await readUpload();
      const info = await inspect(upload.bytes, prompts);
      const id = randomUuid(opts.random);
      const uploadKey = async ? uploadKeyOf(id) : null;
      // Stored before the row exists, so an acknowledged async job always has its image.
      if (uploadKey) await blobs.put(uploadKey, upload.bytes);
      const job = newJob(
        { id, accountId, prompts, inputFilename: upload.filename },
        {
          status: async ? 'pending' : 'processing',
          startedAt: async ? null : clock.now(),
          originalWidth: info.width,
          originalHeight: info.height,
          uploadKey,
        },
      );
      if (!reserveAndInsert(job)) {
        if (uploadKey) await blobs.delete(uploadKey);
        throw new AppError('insufficient_credits', INSUFFICIENT_CREDITS);
      }
      if (async) {
        const accepted = store.get(id) as JobRecord; // as acknowledged: before a worker can take it
        opts.worker.enqueue([id]);
        return accepted;
      }
      const { job: settled, error } = await opts.runner.run(store.get(id) as JobRecord, {
        image: upload.bytes,
        signal,
      });
      if (error !== undefined) throw error;
      return settled;
    },

    async segmentBatch({ accountId, prompts, uploads, async }) {
      assertCanPayOne(accountId);
      const batchId = randomUuid(opts.random);
      const staged: JobRecord[] = [];
      try {
        for await (const upload of uploads) {
          if (staged.length >= opts.maxBatchFiles) {
            throw new AppError('too_many_files', `At most ${opts.maxBatchFiles} files per batch`, {
              field: 'files',
            });
          }
          const base = { id: randomUuid(opts.random), accountId, prompts, inputFilename: upload.filename };
          const at = { batchId, batchIndex: staged.length };
          try {
            const info = await inspect(upload.bytes, prompts);
            const uploadKey = uploadKeyOf(base.id);
            await blobs.put(uploadKey, upload.bytes);
            staged.push(
              newJob(base, { ...at, uploadKey, originalWidth: info.width, originalHeight: info.height }),
            );
          } catch (err) {
            if (!isAppError(err) || !(PER_FILE_ERRORS.has(err.code) || err.code === 'no_file')) throw err;
            staged.push(
              newJob(base, {
                ...at,
                status: 'failed',
                error: err.message,
                creditsUsed: 0,
                finishedAt: clock.now(),
              }),
            );
          }
        }
      } catch (err) {
        await Promise.all(staged.map((j) => (j.uploadKey ? blobs.delete(j.uploadKey) : null)));
        throw err;
      }
      if (staged.length === 0) throw new AppError('no_file', 'No files provided', { field: 'files' });

      const batch: BatchRecord = {
        id: batchId,
        accountId,
        totalFiles: staged.length,
        createdAt: clock.now(),
      };
      const unpaid: JobRecord[] = [];
      store.atomically(() => {
        store.insertBatch(batch);
        for (const job of staged) {
          if (job.status === 'failed') store.insert(job);
          else if (!reserveAndInsert(job)) {
            unpaid.push(job);
            store.insert({
              ...job,
              status: 'failed',
              error: INSUFFICIENT_CREDITS,
              creditsUsed: 0,
              uploadKey: null,
              finishedAt: clock.now(),
            });
          }
        }
      });
      await Promise.all(unpaid.map((j) => blobs.delete(j.uploadKey as string)));

      const accepted = view(batch); // as acknowledged: before a worker can take any of it
      const runnable = accepted.jobs.filter((j) => j.status === 'pending');
      if (async) {
        opts.worker.enqueue(runnable.map((j) => j.id));
        return accepted;
      }
      for (const job of runnable) await opts.runner.run(job);
      return view(batch);
    },

    getJob(accountId, jobId) {
      const job = store.get(jobId);
      if (!job || job.accountId !== accountId) throw new AppError('not_found', 'Job not found');
      return job;
    },
    getBatch(accountId, batchId) {
      const batch = store.getBatch(batchId);
      if (!batch || batch.accountId !== accountId) throw new AppError('not_found', 'Batch not found');
      return view(batch);
    },
    listJobs: (accountId, page) => store.listForAccount(accountId, page),
    listBatches: (accountId, page) => store.listBatches(accountId, page).map(view),
    async getMask(jobId) {
      const job = store.get(jobId);
      return job?.maskKey ? blobs.get(job.maskKey) : null;
    },
  };
}
