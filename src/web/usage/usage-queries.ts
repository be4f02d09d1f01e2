/**
 * Read-only aggregates over the jobs table that the job service has no reason to offer:
 * per-day totals for the usage chart and job → batch ids for the ledger. Nothing here writes;
 * job lists themselves come from the job service.
 */
import type { Db } from '../../db/database.js';

export interface DailyUsage {
  /** UTC date, `YYYY-MM-DD`. */
  day: string;
  requests: number;
  credits: number;
}

export interface UsageQueries {
  /** `days` entries ending with the UTC day containing `now`, zero-filled. */
  daily(accountId: string, now: number, days: number): DailyUsage[];
  /** job id → batch id, for the account's jobs among `jobIds` that belong to a batch. */
  batchIdsOf(accountId: string, jobIds: readonly string[]): Map<string, string>;
}

const DAY_MS = 86_400_000;

export function createUsageQueries(opts: { db: Db }): UsageQueries {
  const { db } = opts;
  // Credits: what was kept (credits_used), or the reservation while a job is still running.
  const daily = db.prepare<[string, number, number], { day: number; requests: number; credits: number }>(
    `SELECT created_at / ${DAY_MS} AS day, count(*) AS requests,
            coalesce(sum(coalesce(credits_used, credits_reserved)), 0) AS credits
     FROM jobs WHERE account_id = ? AND created_at >= ? AND created_at < ? GROUP BY day`,
  );

  return {
    daily(accountId, now, days) {
      const lastDay = Math.floor(now / DAY_MS);
      const firstDay = lastDay - days + 1;
      const rows = new Map(
        daily.all(accountId, firstDay * DAY_MS, (lastDay + 1) * DAY_MS).map((r) => [r.day, r]),
      );
      return Array.from({ length: days }, (_, i) => {
        const row = rows.get(firstDay + i);
        return {
          day: new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
          requests: row?.requests ?? 0,
          credits: row?.credits ?? 0,
        };
      });
    },
    batchIdsOf(accountId, jobIds) {
      if (jobIds.length === 0) return new Map();
      // Scoped to the account like every other page query, whatever ids the caller passes.
      const rows = db
        .prepare<string[], { id: string; batch_id: string }>(
          `SELECT id, batch_id FROM jobs WHERE account_id = ? AND batch_id IS NOT NULL
             AND id IN (${jobIds.map(() => '?').join(',')})`,
        )
        .all(accountId, ...jobIds);
      return new Map(rows.map((r) => [r.id, r.batch_id]));
    },
  };
}
