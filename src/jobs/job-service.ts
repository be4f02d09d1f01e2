/**
 * Segmentation jobs: accept an upload, pay for it, run it now or hand it to the worker, and read
 * jobs and batches back for their owner.
 *
 * The order of checks is fixed here so no model work happens for a request that cannot pay:
 *   Idempotency-Key (a retry gets the first request's job: 200/202; 409; 422) → balance covers
 *   one image (402) → read the upload (400/413) → header probe (415/400/413) → prompts inside
 *   the image (422) → reserve credits with the job row, binding the key (402 if a concurrent
 *   request took them) → engine → settle (keep or refund).
 */
import type { Clock } from '../clock/clock.js';
import type { CreditService } from '../credits/credit-service.js';
import { checkPromptsInImage, type Engine, type ImageInfo, type Prompts } from '../engine/index.js';
import { AppError, isAppError } from '../errors/app-error.js';
import { type RandomSource, randomUuid } from '../random/random-source.js';
import type { BlobStore } from '../storage/blob-store.js';
import { type BatchSummary, summarizeBatch } from './batch-summary.js';
import { type IdempotencyKeys, type IdempotentEndpoint, idempotently } from './idempotency-keys.js';
import { type JobRunner, uploadKeyOf } from './job-runner.js';
import type { JobStore } from './job-store.js';
import { type BatchRecord, type JobRecord, newJobRecord, type Upload } from './job-types.js';
import type { JobWorker } from './job-worker.js';

export interface BatchView {
  batch: BatchRecord;
  jobs: JobRecord[];
  summary: BatchSummary;
}

/**
 * What both POST methods take. With an `idempotencyKey` that an earlier request of the account
 * already used (same endpoint, same prompts), they return what that request created, `replayed`,
 * without reading the upload or charging; a request that throws frees its key for a retry.
 */
interface SegmentInput {
  accountId: string;
  prompts: Prompts;
  async: boolean;
  idempotencyKey?: string;
}

export interface JobService {
  /**
   * One image. `readUpload` is called only after the balance check, so a caller that cannot pay
   * is refused before its upload is read. Synchronous mode throws the image's AppError
   * (after refunding); async mode returns the pending job once the upload is stored.
   */
  segment(
    input: SegmentInput & { readUpload: () => Promise<Upload>; signal?: AbortSignal },
  ): Promise<{ job: JobRecord; replayed: boolean }>;
  /**
   * Up to N images with the same prompts, processed in upload order while credits last; the rest
   * fail with "Insufficient credits". A file that cannot be read fails alone.
   * @throws `insufficient_credits` only when not even one image can be paid for at the start.
   */
  segmentBatch(
    input: SegmentInput & { uploads: AsyncIterable<Upload> },
  ): Promise<{ batch: BatchView; replayed: boolean }>;
  /** @throws `not_found` for unknown ids and other accounts' ids alike. */
  getJob(accountId: string, jobId: string): JobRecord;
  /** @throws `not_found` for unknown ids and other accounts' ids alike. */
  getBatch(accountId: string, batchId: string): BatchView;
  listJobs(accountId: string, page: { limit: number; offset: number }): JobRecord[];
  listBatches(accountId: string, page: { limit: number; offset: number }): BatchView[];
  /** The mask PNG of a completed job, or null once swept (the caller has checked the signature). */
  getMask(jobId: string): Promise<Buffer | null>;
}

const INSUFFICIENT_CREDITS = 'Insufficient credits';
/** Errors that condemn one file of a batch, not the whole batch. */
const PER_FILE_ERRORS = new Set([
  'no_file', // an empty file
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
  idempotencyKeys: IdempotencyKeys;
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
  ) => newJobRecord({ ...base, createdAt: clock.now() }, fields);

  /**
   * Debit and insert together: a job row exists exactly when its credits were taken.
   * @returns the job as inserted, or null when the balance did not cover it.
   */
  const reserveAndInsert = (job: JobRecord, bindKey?: (id: string) => void): JobRecord | null =>
    store.atomically(() => {
      if (cost > 0 && !credits.debit(job.accountId, cost, { jobId: job.id })) return null;
      const reserved = { ...job, creditsReserved: cost };
      store.insert(reserved);
      bindKey?.(job.id);
      return reserved;
    });

  const idempotencyOf = (input: SegmentInput, endpoint: IdempotentEndpoint) =>
    input.idempotencyKey === undefined
      ? null
      : {
          accountId: input.accountId,
          key: input.idempotencyKey,
          endpoint,
          request: JSON.stringify(input.prompts),
        };

  /**
   * Reads and checks each upload of a batch, storing the readable ones; a file that cannot be
   * read becomes a failed job of its own. On any other error the stored uploads are deleted.
   */
  async function stageBatch(
    batchId: string,
    { accountId, prompts, uploads }: SegmentInput & { uploads: AsyncIterable<Upload> },
  ): Promise<JobRecord[]> {
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
          if (!isAppError(err) || !PER_FILE_ERRORS.has(err.code)) throw err;
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
    return staged;
  }

  const view = (batch: BatchRecord): BatchView => {
    const jobs = store.batchJobs(batch.id);
    return { batch, jobs, summary: summarizeBatch(jobs) };
  };

  const getJob = (accountId: string, jobId: string): JobRecord => {
    const job = store.get(jobId);
    if (!job || job.accountId !== accountId) throw new AppError('not_found', 'Job not found');
    return job;
  };
  const getBatch = (accountId: string, batchId: string): BatchView => {
    const batch = store.getBatch(batchId);
    if (!batch || batch.accountId !== accountId) throw new AppError('not_found', 'Batch not found');
    return view(batch);
  };

  return {
    async segment(input) {
      const { accountId, prompts, readUpload, async, signal } = input;
      const { value: job, replayed } = await idempotently(
        opts.idempotencyKeys,
        idempotencyOf(input, 'single'),
        (id) => getJob(accountId, id),
        async (bindKey) => {
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
          const accepted = reserveAndInsert(job, bindKey);
          if (accepted === null) {
            if (uploadKey) await blobs.delete(uploadKey);
            throw new AppError('insufficient_credits', INSUFFICIENT_CREDITS);
          }
          if (async) {
            opts.worker.enqueue([id]);
            return accepted; // as acknowledged: before a worker can take it
          }
          const { job: settled, error } = await opts.runner.run(accepted, { image: upload.bytes, signal });
          if (error !== undefined) throw error;
          return settled;
        },
      );
      return { job, replayed };
    },

    async segmentBatch(input) {
      const { accountId, async } = input;
      const { value: batch, replayed } = await idempotently(
        opts.idempotencyKeys,
        idempotencyOf(input, 'batch'),
        (id) => getBatch(accountId, id),
        async (bindKey) => {
          assertCanPayOne(accountId);
          const batchId = randomUuid(opts.random);
          const staged = await stageBatch(batchId, input);
          const batch: BatchRecord = {
            id: batchId,
            accountId,
            totalFiles: staged.length,
            createdAt: clock.now(),
          };
          const unpaid: JobRecord[] = [];
          store.atomically(() => {
            store.insertBatch(batch);
            bindKey?.(batch.id);
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
      );
      return { batch, replayed };
    },

    getJob,
    getBatch,
    listJobs: (accountId, page) => store.listForAccount(accountId, page),
    listBatches: (accountId, page) => store.listBatches(accountId, page).map(view),
    async getMask(jobId) {
      const job = store.get(jobId);
      return job?.maskKey ? blobs.get(job.maskKey) : null;
    },
  };
}
