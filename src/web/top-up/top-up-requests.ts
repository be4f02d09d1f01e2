/**
 * Top-up requests: `pending` until completed (credits granted) or rejected. Completing is one
 * transaction: the status change is guarded by `status = 'pending'` and the grant goes through
 * `CreditService.grant`, so a double-clicked approval or a replayed payment callback grants once.
 */
import type { Clock } from '../../clock/clock.js';
import type { CreditService } from '../../credits/credit-service.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { type RandomSource, randomUuid } from '../../random/random-source.js';

export type TopUpStatus = 'pending' | 'completed' | 'rejected';

export interface TopUpRequest {
  id: string;
  accountId: string;
  credits: number;
  provider: string;
  status: TopUpStatus;
  /** The payment provider's reference (checkout session, invoice), if any. */
  externalRef: string | null;
  ledgerEntryId: number | null;
  createdAt: number;
  decidedAt: number | null;
  /** Admin account id, or `provider:<id>` for an automatic completion. */
  decidedBy: string | null;
}

export interface TopUpRequests {
  create(input: { accountId: string; credits: number; provider: string; externalRef?: string }): TopUpRequest;
  get(id: string): TopUpRequest | null;
  listForAccount(accountId: string, limit: number): TopUpRequest[];
  /** Oldest first; only `provider`'s when given. */
  listPending(limit: number, provider?: string): TopUpRequest[];
  countPending(accountId: string): number;
  /** Grants the credits. @returns false when the request was not pending (already decided). */
  complete(id: string, by: { decidedBy: string; externalRef?: string }): boolean;
  reject(id: string, by: { decidedBy: string }): boolean;
}

interface Row {
  id: string;
  account_id: string;
  credits: number;
  provider: string;
  status: TopUpStatus;
  external_ref: string | null;
  ledger_entry_id: number | null;
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
}

const toRequest = (r: Row): TopUpRequest => ({
  id: r.id,
  accountId: r.account_id,
  credits: r.credits,
  provider: r.provider,
  status: r.status,
  externalRef: r.external_ref,
  ledgerEntryId: r.ledger_entry_id,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
});

export function createTopUpRequests(opts: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  credits: CreditService;
}): TopUpRequests {
  const { db, clock } = opts;
  const byId = db.prepare<[string], Row>('SELECT * FROM top_up_requests WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO top_up_requests (id, account_id, credits, provider, status, external_ref, created_at)
     VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
  );
  const decide = db.prepare<[TopUpStatus, number, string, string]>(
    `UPDATE top_up_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ? AND status = 'pending'`,
  );
  const link = db.prepare<[number, string | null, string]>(
    'UPDATE top_up_requests SET ledger_entry_id = ?, external_ref = coalesce(?, external_ref) WHERE id = ?',
  );
  const ofAccount = db.prepare<[string, number], Row>(
    'SELECT * FROM top_up_requests WHERE account_id = ? ORDER BY created_at DESC, id LIMIT ?',
  );
  const pending = db.prepare<[{ provider: string | null; limit: number }], Row>(
    `SELECT * FROM top_up_requests WHERE status = 'pending' AND (@provider IS NULL OR provider = @provider)
     ORDER BY created_at, id LIMIT @limit`,
  );
  const pendingOf = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM top_up_requests WHERE account_id = ? AND status = 'pending'`,
  );

  const complete = db.transaction((id: string, by: { decidedBy: string; externalRef?: string }): boolean => {
    if (decide.run('completed', clock.now(), by.decidedBy, id).changes !== 1) return false;
    const row = byId.get(id) as Row;
    const entry = opts.credits.grant(row.account_id, row.credits, `top-up ${row.id}`);
    link.run(entry.id, by.externalRef ?? null, id);
    return true;
  });

  return {
    create({ accountId, credits, provider, externalRef }) {
      const id = randomUuid(opts.random);
      try {
        insert.run(id, accountId, credits, provider, externalRef ?? null, clock.now());
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
          throw new AppError('not_found', `No account ${accountId}`);
        }
        throw err;
      }
      return toRequest(byId.get(id) as Row);
    },
    get: (id) => {
      const row = byId.get(id);
      return row ? toRequest(row) : null;
    },
    listForAccount: (accountId, limit) => ofAccount.all(accountId, limit).map(toRequest),
    listPending: (limit, provider) => pending.all({ provider: provider ?? null, limit }).map(toRequest),
    countPending: (accountId) => pendingOf.get(accountId)?.n ?? 0,
    complete: (id, by) => complete.immediate(id, by),
    reject: (id, by) => decide.run('rejected', clock.now(), by.decidedBy, id).changes === 1,
  };
}
