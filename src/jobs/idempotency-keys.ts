/**
 * Idempotency keys: a client's `Idempotency-Key` header, bound to the job or batch its first
 * request created, so a retry after a timeout or a dropped connection gets that job back instead
 * of paying for the image again. Keys are per account and live `ttlMs` from first use.
 *
 * A key is *claimed* when its first request starts (before the upload is read), *bound* in the
 * same transaction that inserts the job or batch row, and *released* (deleted) if that request
 * ends in an error, so the client may retry with the same key. The claim is one SQLite
 * transaction, so of two concurrent requests with one key exactly one gets it.
 *
 * @example
 *   const claim = keys.claim({ accountId, key, endpoint: 'single', request: JSON.stringify(prompts) });
 *   if (claim.replay !== null) return jobs.getJob(accountId, claim.replay);
 *   try { store.atomically(() => { store.insert(job); claim.bind(job.id); }); }
 *   catch (err) { claim.release(); throw err; }
 */
import type { Clock } from '../clock/clock.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { type RandomSource, randomUuid } from '../random/random-source.js';

export type IdempotentEndpoint = 'single' | 'batch';

export interface IdempotentRequest {
  accountId: string;
  key: string;
  endpoint: IdempotentEndpoint;
  /** What a retry must repeat: the parsed prompts as JSON. The upload is not compared (nor read). */
  request: string;
}

export type Claim =
  /** An earlier request with this key created this job (`single`) or batch (`batch`). */
  | { replay: string }
  | {
      replay: null;
      /** Call inside the transaction that inserts the job or batch row. */
      bind(id: string): void;
      /** The request failed: free the key for a retry. */
      release(): void;
    };

export interface IdempotencyKeys {
  /**
   * @throws `validation` (422) when the key was first used with the other endpoint or other
   *   prompts; `conflict` (409) while the first request with it has not yet created its job.
   */
  claim(req: IdempotentRequest): Claim;
  /** Forgets keys older than the TTL. @returns how many. */
  expire(): number;
  /** At start-up: drops the claims a dead process left unbound. @returns how many. */
  releaseUnbound(): number;
}

interface KeyRow {
  claim_id: string;
  endpoint: IdempotentEndpoint;
  request: string;
  job_id: string | null;
  batch_id: string | null;
  created_at: number;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const mismatch = (msg: string) =>
  new AppError('validation', `${msg}; use a new Idempotency-Key for a different request`, {
    field: IDEMPOTENCY_HEADER,
    location: 'header',
  });

export function createIdempotencyKeys(opts: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  ttlMs: number;
}): IdempotencyKeys {
  const { db, clock } = opts;
  const byKey = db.prepare<[string, string], KeyRow>(
    'SELECT claim_id, endpoint, request, job_id, batch_id, created_at FROM idempotency_keys WHERE account_id = ? AND key = ?',
  );
  const insert = db.prepare<[string, string, string, IdempotentEndpoint, string, number]>(
    `INSERT INTO idempotency_keys (account_id, key, claim_id, endpoint, request, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const remove = db.prepare<[string, string]>(
    'DELETE FROM idempotency_keys WHERE account_id = ? AND key = ?',
  );
  const bindJob = db.prepare<[string, string, string, string]>(
    'UPDATE idempotency_keys SET job_id = ? WHERE account_id = ? AND key = ? AND claim_id = ?',
  );
  const bindBatch = db.prepare<[string, string, string, string]>(
    'UPDATE idempotency_keys SET batch_id = ? WHERE account_id = ? AND key = ? AND claim_id = ?',
  );
  const releaseClaim = db.prepare<[string, string, string]>(
    'DELETE FROM idempotency_keys WHERE account_id = ? AND key = ? AND claim_id = ?',
  );
  const expireBefore = db.prepare<[number]>('DELETE FROM idempotency_keys WHERE created_at <= ?');
  const deleteUnbound = db.prepare('DELETE FROM idempotency_keys WHERE job_id IS NULL AND batch_id IS NULL');

  /** The live row for this key, or null after claiming it (an expired row is replaced). */
  const claimOrFind = db.transaction((req: IdempotentRequest, claimId: string): KeyRow | null => {
    const now = clock.now();
    const row = byKey.get(req.accountId, req.key);
    if (row && row.created_at > now - opts.ttlMs) return row;
    if (row) remove.run(req.accountId, req.key);
    insert.run(req.accountId, req.key, claimId, req.endpoint, req.request, now);
    return null;
  });

  return {
    claim(req) {
      const claimId = randomUuid(opts.random);
      // IMMEDIATE: the write lock is taken before the read, so two processes cannot both claim.
      const row = claimOrFind.immediate(req, claimId);
      if (row === null) {
        const bind = req.endpoint === 'single' ? bindJob : bindBatch;
        return {
          replay: null,
          bind: (id) => {
            bind.run(id, req.accountId, req.key, claimId);
          },
          release: () => {
            releaseClaim.run(req.accountId, req.key, claimId);
          },
        };
      }
      if (row.endpoint !== req.endpoint) {
        throw mismatch(
          `This Idempotency-Key was already used for ${row.endpoint === 'batch' ? 'a batch' : 'a single image'}`,
        );
      }
      if (row.request !== req.request)
        throw mismatch('This Idempotency-Key was already used with other prompts');
      const id = row.endpoint === 'single' ? row.job_id : row.batch_id;
      if (id === null) {
        throw new AppError(
          'conflict',
          'A request with this Idempotency-Key is still in progress; retry shortly',
          {
            retryAfterSeconds: 1,
          },
        );
      }
      return { replay: id };
    },
    expire: () => expireBefore.run(clock.now() - opts.ttlMs).changes,
    releaseUnbound: () => deleteUnbound.run().changes,
  };
}

/**
 * Runs `create` under an Idempotency-Key when `req` is not null: a retry gets `replay(id)` of
 * what the first request created; a `create` that throws releases the key. `create` must pass
 * `bindKey` the new job's or batch's id inside the transaction that inserts it.
 */
export async function idempotently<T>(
  keys: IdempotencyKeys,
  req: IdempotentRequest | null,
  replay: (id: string) => T,
  create: (bindKey?: (id: string) => void) => Promise<T>,
): Promise<{ value: T; replayed: boolean }> {
  if (req === null) return { value: await create(), replayed: false };
  const claim = keys.claim(req);
  if (claim.replay !== null) return { value: replay(claim.replay), replayed: true };
  try {
    return { value: await create(claim.bind), replayed: false };
  } catch (err) {
    claim.release();
    throw err;
  }
}
