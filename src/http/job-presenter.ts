/**
 * Domain records → the spec's JSON objects. `output_url` is signed afresh on every read, so a
 * client that polls always gets a URL with a full lifetime ahead of it.
 */

import type { BatchView } from '../jobs/job-service.js';
import type { JobRecord } from '../jobs/job-types.js';
import type { UrlSigner } from '../storage/signed-url.js';
import type { BatchBody, JobBody, JobResult } from './schemas.js';

export const filePath = (jobId: string) => `/v1/files/${encodeURIComponent(jobId)}`;

function toJobResult(job: JobRecord, signer: UrlSigner): JobResult {
  return {
    job_id: job.id,
    status: job.status,
    input_filename: job.inputFilename,
    output_url: job.status === 'completed' && job.maskKey !== null ? signer.sign(filePath(job.id)) : null,
    processing_time_ms: job.processingTimeMs,
    error: job.error,
    original_width: job.originalWidth,
    original_height: job.originalHeight,
    output_width: job.outputWidth,
    output_height: job.outputHeight,
    credits_used: job.creditsUsed,
  };
}

export function toJobBody(job: JobRecord, signer: UrlSigner): JobBody {
  return { job_id: job.id, status: job.status, result: toJobResult(job, signer), error: job.error };
}

export function toBatchBody({ batch, jobs, summary }: BatchView, signer: UrlSigner): BatchBody {
  return {
    batch_id: batch.id,
    status: summary.status,
    total_files: batch.totalFiles,
    completed: summary.completed,
    failed: summary.failed,
    results: jobs.map((j) => toJobResult(j, signer)),
    total_processing_time_ms: summary.totalProcessingTimeMs,
    total_credits_used: summary.totalCreditsUsed,
    error: summary.error,
  };
}
