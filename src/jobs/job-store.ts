/**
 * SQL for jobs and batches. No business rules here: the job service decides, this persists.
 */
import type { Db } from '../db/database.js';
import type { Prompts } from '../engine/index.js';
import type { BatchRecord, JobRecord, JobStatus } from './job-types.js';

export interface JobStore {
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  atomically<T>(fn: () => T): T;
  insert(job: JobRecord): void;
  get(id: string): JobRecord | null;
  /** Newest first. */
  listForAccount(accountId: string, page: { limit: number; offset: number }): JobRecord[];
  withStatus(status: JobStatus): JobRecord[];
  /** pending → processing; false if the job was not pending (already taken). */
  markProcessing(id: string, at: number): boolean;
  markPending(id: string): void;
  complete(
    id: string,
    r: { outputWidth: number; outputHeight: number; processingTimeMs: number; maskKey: string; at: number },
  ): void;
  fail(id: string, error: string, at: number): void;
  clearUpload(id: string): void;
  /** Forgets both blob keys once the sweeper has deleted the blobs. */
  clearBlobs(id: string): void;
  /** Finished jobs still holding a mask or an upload, finished before `before`. */
  expiredBlobs(
    before: number,
    limit: number,
  ): { id: string; maskKey: string | null; uploadKey: string | null }[];
  insertBatch(batch: BatchRecord): void;
  getBatch(id: string): BatchRecord | null;
  batchJobs(batchId: string): JobRecord[];
  listBatches(accountId: string, page: { limit: number; offset: number }): BatchRecord[];
}

interface JobRow {
  id: string;
  account_id: string;
  batch_id: string | null;
  batch_index: number | null;
  status: JobStatus;
  input_filename: string | null;
  prompts: string;
  original_width: number | null;
  original_height: number | null;
  output_width: number | null;
  output_height: number | null;
  processing_time_ms: number | null;
  credits_reserved: number;
  credits_used: number | null;
  error: string | null;
  upload_key: string | null;
  mask_key: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

interface BatchRow {
  id: string;
  account_id: string;
  total_files: number;
  created_at: number;
}

const toJob = (r: JobRow): JobRecord => ({
  id: r.id,
  accountId: r.account_id,
  batchId: r.batch_id,
  batchIndex: r.batch_index,
  status: r.status,
  inputFilename: r.input_filename,
  prompts: JSON.parse(r.prompts) as Prompts,
  originalWidth: r.original_width,
  originalHeight: r.original_height,
  outputWidth: r.output_width,
  outputHeight: r.output_height,
  processingTimeMs: r.processing_time_ms,
  creditsReserved: r.credits_reserved,
  creditsUsed: r.credits_used,
  error: r.error,
  uploadKey: r.upload_key,
  maskKey: r.mask_key,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

const toBatch = (r: BatchRow): BatchRecord => ({
  id: r.id,
  accountId: r.account_id,
  totalFiles: r.total_files,
  createdAt: r.created_at,
});

export function createJobStore(db: Db): JobStore {
  // Prepared once, not per call: most of these run on every request or worker step.
  const insertJob =
    db.prepare(`INSERT INTO jobs (id, account_id, batch_id, batch_index, status, input_filename,
    prompts, original_width, original_height, output_width, output_height, processing_time_ms, credits_reserved,
    credits_used, error, upload_key, mask_key, created_at, started_at, finished_at)
    VALUES (@id, @accountId, @batchId, @batchIndex, @status, @inputFilename, @prompts, @originalWidth,
    @originalHeight, @outputWidth, @outputHeight, @processingTimeMs, @creditsReserved, @creditsUsed, @error,
    @uploadKey, @maskKey, @createdAt, @startedAt, @finishedAt)`);
  const byId = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?');
  const pendingToProcessing = db.prepare<[number, string]>(
    "UPDATE jobs SET status = 'processing', started_at = ? WHERE id = ? AND status = 'pending'",
  );
  const backToPending = db.prepare<[string]>(
    "UPDATE jobs SET status = 'pending', started_at = NULL WHERE id = ?",
  );
  const completeJob = db.prepare<[number, number, number, string, number, string]>(
    `UPDATE jobs SET status = 'completed', output_width = ?, output_height = ?, processing_time_ms = ?,
     mask_key = ?, credits_used = credits_reserved, finished_at = ? WHERE id = ?`,
  );
  const failJob = db.prepare<[string, number, string]>(
    "UPDATE jobs SET status = 'failed', error = ?, credits_used = 0, finished_at = ? WHERE id = ?",
  );
  const dropUploadKey = db.prepare<[string]>('UPDATE jobs SET upload_key = NULL WHERE id = ?');
  const dropBlobKeys = db.prepare<[string]>(
    'UPDATE jobs SET upload_key = NULL, mask_key = NULL WHERE id = ?',
  );
  const insertBatchRow = db.prepare<[string, string, number, number]>(
    'INSERT INTO batches (id, account_id, total_files, created_at) VALUES (?, ?, ?, ?)',
  );
  const batchById = db.prepare<[string], BatchRow>('SELECT * FROM batches WHERE id = ?');
  const jobsOfBatch = db.prepare<[string], JobRow>(
    'SELECT * FROM jobs WHERE batch_id = ? ORDER BY batch_index',
  );
  const jobsOfAccount = db.prepare<[string, number, number], JobRow>(
    'SELECT * FROM jobs WHERE account_id = ? ORDER BY created_at DESC, batch_index DESC LIMIT ? OFFSET ?',
  );
  const batchesOfAccount = db.prepare<[string, number, number], BatchRow>(
    'SELECT * FROM batches WHERE account_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?',
  );
  const jobsWithStatus = db.prepare<[string], JobRow>(
    'SELECT * FROM jobs WHERE status = ? ORDER BY created_at, batch_index',
  );
  const finishedWithBlobs = db.prepare<
    [number, number],
    { id: string; mask_key: string | null; upload_key: string | null }
  >(
    `SELECT id, mask_key, upload_key FROM jobs WHERE finished_at < ?
     AND (mask_key IS NOT NULL OR upload_key IS NOT NULL) ORDER BY finished_at LIMIT ?`,
  );

  return {
    atomically: (fn) => db.transaction(fn)(),
    insert(job) {
      insertJob.run({ ...job, prompts: JSON.stringify(job.prompts) });
    },
    get(id) {
      const row = byId.get(id);
      return row ? toJob(row) : null;
    },
    listForAccount: (accountId, { limit, offset }) => jobsOfAccount.all(accountId, limit, offset).map(toJob),
    withStatus: (status) => jobsWithStatus.all(status).map(toJob),
    markProcessing: (id, at) => pendingToProcessing.run(at, id).changes === 1,
    markPending(id) {
      backToPending.run(id);
    },
    complete(id, r) {
      completeJob.run(r.outputWidth, r.outputHeight, r.processingTimeMs, r.maskKey, r.at, id);
    },
    fail(id, error, at) {
      failJob.run(error, at, id);
    },
    clearUpload(id) {
      dropUploadKey.run(id);
    },
    clearBlobs(id) {
      dropBlobKeys.run(id);
    },
    expiredBlobs: (before, limit) =>
      finishedWithBlobs
        .all(before, limit)
        .map((r) => ({ id: r.id, maskKey: r.mask_key, uploadKey: r.upload_key })),
    insertBatch(b) {
      insertBatchRow.run(b.id, b.accountId, b.totalFiles, b.createdAt);
    },
    getBatch(id) {
      const row = batchById.get(id);
      return row ? toBatch(row) : null;
    },
    batchJobs: (batchId) => jobsOfBatch.all(batchId).map(toJob),
    listBatches: (accountId, { limit, offset }) =>
      batchesOfAccount.all(accountId, limit, offset).map(toBatch),
  };
}
