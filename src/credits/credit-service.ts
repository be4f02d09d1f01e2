/**
 * Credits: an append-only ledger plus `accounts.balance`, which only the guarded statements
 * below change, each in the same transaction as its ledger row. A debit that would take the
 * balance below zero changes nothing and returns false, so concurrent requests can never
 * overdraw; a refund is a new row, never an edit.
 *
 * @example
 *   if (!credits.debit(accountId, 1, { jobId })) throw new AppError('insufficient_credits', 'Insufficient credits');
 *   credits.refund(accountId, 1, { jobId }); // if the image then fails
 */
import type { Clock } from '../clock/clock.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

export type LedgerKind = 'grant' | 'debit' | 'refund';

export interface LedgerEntry {
  id: number;
  accountId: string;
  /** Positive for grants and refunds, negative for debits. */
  delta: number;
  balanceAfter: number;
  kind: LedgerKind;
  jobId: string | null;
  note: string | null;
  createdAt: number;
}

export interface CreditService {
  balance(accountId: string): number;
  /** Adds credits (operator or admin top-up). @throws `not_found`, `validation` (amount ≤ 0). */
  grant(accountId: string, amount: number, note?: string): LedgerEntry;
  /** Takes `amount` if the balance covers it. @returns the ledger row, or null when it does not. */
  debit(accountId: string, amount: number, ref: { jobId?: string; note?: string }): LedgerEntry | null;
  /** Gives back a debit that bought nothing. */
  refund(accountId: string, amount: number, ref: { jobId?: string; note?: string }): LedgerEntry;
  /** Newest first; pass the last entry's id as `beforeId` for the next page. */
  ledger(accountId: string, page: { limit: number; beforeId?: number }): LedgerEntry[];
}

interface LedgerRow {
  id: number;
  account_id: string;
  delta: number;
  balance_after: number;
  kind: LedgerKind;
  job_id: string | null;
  note: string | null;
  created_at: number;
}

const toEntry = (r: LedgerRow): LedgerEntry => ({
  id: r.id,
  accountId: r.account_id,
  delta: r.delta,
  balanceAfter: r.balance_after,
  kind: r.kind,
  jobId: r.job_id,
  note: r.note,
  createdAt: r.created_at,
});

export function createCreditService(opts: { db: Db; clock: Clock }): CreditService {
  const { db, clock } = opts;
  // The one guard: `balance >= ?` with the full cost, not `balance > 0`.
  const take = db.prepare<[number, string, number], { balance: number }>(
    'UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ? RETURNING balance',
  );
  const give = db.prepare<[number, string], { balance: number }>(
    'UPDATE accounts SET balance = balance + ? WHERE id = ? RETURNING balance',
  );
  const append = db.prepare<
    [string, number, number, LedgerKind, string | null, string | null, number],
    LedgerRow
  >(
    `INSERT INTO credit_ledger (account_id, delta, balance_after, kind, job_id, note, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const balanceOf = db.prepare<[string], { balance: number }>('SELECT balance FROM accounts WHERE id = ?');

  const credit = db.transaction(
    (accountId: string, amount: number, kind: LedgerKind, jobId?: string, note?: string) => {
      const row = give.get(amount, accountId);
      if (!row) throw new AppError('not_found', `No account with id "${accountId}"`);
      return toEntry(
        append.get(
          accountId,
          amount,
          row.balance,
          kind,
          jobId ?? null,
          note ?? null,
          clock.now(),
        ) as LedgerRow,
      );
    },
  );

  const positive = (amount: number) => {
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      throw new AppError('validation', 'amount must be a positive integer', {
        field: 'amount',
        location: 'body',
      });
    }
  };

  return {
    balance(accountId) {
      const row = balanceOf.get(accountId);
      if (!row) throw new AppError('not_found', `No account with id "${accountId}"`);
      return row.balance;
    },
    grant(accountId, amount, note) {
      positive(amount);
      return credit(accountId, amount, 'grant', undefined, note);
    },
    debit: db.transaction((accountId: string, amount: number, ref: { jobId?: string; note?: string }) => {
      positive(amount);
      const row = take.get(amount, accountId, amount);
      if (!row) return null;
      return toEntry(
        append.get(
          accountId,
          -amount,
          row.balance,
          'debit',
          ref.jobId ?? null,
          ref.note ?? null,
          clock.now(),
        ) as LedgerRow,
      );
    }),
    refund(accountId, amount, ref) {
      positive(amount);
      return credit(accountId, amount, 'refund', ref.jobId, ref.note);
    },
    ledger(accountId, { limit, beforeId }) {
      return db
        .prepare<[string, number, number], LedgerRow>(
          'SELECT * FROM credit_ledger WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
        )
        .all(accountId, beforeId ?? Number.MAX_SAFE_INTEGER, limit)
        .map(toEntry);
    },
  };
}
