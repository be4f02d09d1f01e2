/**
 * A batch's status and totals, derived from its jobs on every read (never stored, so it
 * cannot drift from them).
 *
 * - `pending`: no job has started; `processing`: some started, some not finished;
 * - `completed`: all finished and at least one succeeded (check `failed` for partial failure);
 * - `failed`: all finished and none succeeded.
 */
import type { JobRecord, JobStatus } from './job-types.js';

export interface BatchSummary {
  status: JobStatus;
  completed: number;
  failed: number;
  /** Sum of the jobs' processing times, ms. */
  totalProcessingTimeMs: number;
  totalCreditsUsed: number;
  error: string | null;
}

export function summarizeBatch(jobs: readonly JobRecord[]): BatchSummary {
  let completed = 0;
  let failed = 0;
  let started = 0;
  let time = 0;
  let creditsUsed = 0;
  for (const j of jobs) {
    if (j.status === 'completed') completed++;
    if (j.status === 'failed') failed++;
    if (j.status === 'processing' || j.status === 'completed') started++;
    time += j.processingTimeMs ?? 0;
    creditsUsed += j.creditsUsed ?? 0;
  }
  const finished = completed + failed === jobs.length;
  const status: JobStatus = finished
    ? completed > 0
      ? 'completed'
      : 'failed'
    : started > 0
      ? 'processing'
      : 'pending';
  return {
    status,
    completed,
    failed,
    totalProcessingTimeMs: Math.round(time * 10) / 10,
    totalCreditsUsed: creditsUsed,
    error: status === 'failed' ? `All ${jobs.length} files failed` : null,
  };
}
