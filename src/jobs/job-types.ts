import type { Prompts } from '../engine/index.js';

export type JobStatus = 'pending' | 'processing' | 'completed' | 'failed';

/** One image's segmentation, single or part of a batch. Times are ms since epoch. */
export interface JobRecord {
  id: string;
  accountId: string;
  batchId: string | null;
  /** Position in its batch (0-based); null for single jobs. */
  batchIndex: number | null;
  status: JobStatus;
  inputFilename: string | null;
  prompts: Prompts;
  originalWidth: number | null;
  originalHeight: number | null;
  outputWidth: number | null;
  outputHeight: number | null;
  /** The engine's own time for this image, ms. */
  processingTimeMs: number | null;
  /** Debited at acceptance; becomes `creditsUsed` on success, refunded on failure. */
  creditsReserved: number;
  /** null until finished; 0 for a failed job. */
  creditsUsed: number | null;
  error: string | null;
  /** Blob key of the uploaded image while it waits for a worker (async and batch jobs). */
  uploadKey: string | null;
  /** Blob key of the mask PNG; null before completion and after the retention sweep. */
  maskKey: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A job as accepted: everything not in `base` or `fields` is still unknown. */
export function newJobRecord(
  base: Pick<JobRecord, 'id' | 'accountId' | 'prompts' | 'inputFilename' | 'createdAt'>,
  fields: Partial<JobRecord>,
): JobRecord {
  return {
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
    startedAt: null,
    finishedAt: null,
    ...base,
    ...fields,
  };
}

export interface BatchRecord {
  id: string;
  accountId: string;
  totalFiles: number;
  createdAt: number;
}

/** An uploaded file as the HTTP layer hands it over. */
export interface Upload {
  filename: string | null;
  bytes: Buffer;
}
