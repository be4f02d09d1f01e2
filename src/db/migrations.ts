/**
 * The schema, as an ordered list of migrations. Append only: never edit or reorder one that has
 * shipped, add a new one. Each runs once, inside a transaction, and is recorded in
 * `schema_migrations`.
 *
 * Times are integer milliseconds since the Unix epoch, taken from the injected clock.
 */
export interface Migration {
  /** Strictly increasing, starting at 1. */
  id: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'accounts, api keys, credit ledger',
    sql: `
      CREATE TABLE accounts (
        id            TEXT PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT,
        is_admin      INTEGER NOT NULL DEFAULT 0,
        -- Changed only by the guarded statements in credit-service.ts, each with its ledger row.
        balance       INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
        disabled_at   INTEGER,
        created_at    INTEGER NOT NULL
      );
      CREATE TABLE api_keys (
        id           TEXT PRIMARY KEY,
        account_id   TEXT NOT NULL REFERENCES accounts(id),
        name         TEXT NOT NULL,
        prefix       TEXT NOT NULL,
        hash         TEXT NOT NULL UNIQUE,
        created_at   INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at   INTEGER
      );
      CREATE INDEX api_keys_account ON api_keys(account_id, created_at);
      CREATE INDEX api_keys_prefix ON api_keys(prefix);
      -- Append-only: rows are never updated or deleted; a refund is a new row.
      CREATE TABLE credit_ledger (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id    TEXT NOT NULL REFERENCES accounts(id),
        delta         INTEGER NOT NULL,
        balance_after INTEGER NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('grant', 'debit', 'refund')),
        job_id        TEXT,
        note          TEXT,
        created_at    INTEGER NOT NULL
      );
      CREATE INDEX credit_ledger_account ON credit_ledger(account_id, id);
    `,
  },
  {
    id: 2,
    name: 'jobs and batches',
    sql: `
      CREATE TABLE batches (
        id          TEXT PRIMARY KEY,
        account_id  TEXT NOT NULL REFERENCES accounts(id),
        total_files INTEGER NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX batches_account ON batches(account_id, created_at);
      CREATE TABLE jobs (
        id                 TEXT PRIMARY KEY,
        account_id         TEXT NOT NULL REFERENCES accounts(id),
        batch_id           TEXT REFERENCES batches(id),
        batch_index        INTEGER,
        status             TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
        input_filename     TEXT,
        prompts            TEXT NOT NULL,
        original_width     INTEGER,
        original_height    INTEGER,
        output_width       INTEGER,
        output_height      INTEGER,
        processing_time_ms REAL,
        -- Debited when the job was accepted; moved to credits_used on success, refunded on failure.
        credits_reserved   INTEGER NOT NULL DEFAULT 0,
        credits_used       INTEGER,
        error              TEXT,
        upload_key         TEXT,
        mask_key           TEXT,
        created_at         INTEGER NOT NULL,
        started_at         INTEGER,
        finished_at        INTEGER
      );
      CREATE INDEX jobs_account ON jobs(account_id, created_at);
      CREATE INDEX jobs_batch ON jobs(batch_id, batch_index);
      CREATE INDEX jobs_status ON jobs(status) WHERE status IN ('pending', 'processing');
      CREATE INDEX jobs_mask ON jobs(finished_at) WHERE mask_key IS NOT NULL;
    `,
  },
  {
    id: 3,
    name: 'web sessions and top-up requests',
    sql: `
      CREATE TABLE web_sessions (
        id_hash    TEXT PRIMARY KEY, -- SHA-256 of the cookie token; the token itself is never stored
        account_id TEXT NOT NULL REFERENCES accounts(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX web_sessions_account ON web_sessions(account_id);
      CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);
      -- pending until an admin (or a payment callback) completes it; completion writes a ledger grant.
      CREATE TABLE top_up_requests (
        id              TEXT PRIMARY KEY,
        account_id      TEXT NOT NULL REFERENCES accounts(id),
        credits         INTEGER NOT NULL CHECK (credits > 0),
        provider        TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'rejected')),
        external_ref    TEXT,
        ledger_entry_id INTEGER REFERENCES credit_ledger(id),
        created_at      INTEGER NOT NULL,
        decided_at      INTEGER,
        decided_by      TEXT
      );
      CREATE INDEX top_up_requests_account ON top_up_requests(account_id, created_at);
      CREATE INDEX top_up_requests_pending ON top_up_requests(created_at) WHERE status = 'pending';
    `,
  },
  {
    id: 4,
    name: 'idempotency keys',
    sql: `
      -- A client's Idempotency-Key, bound to what its first request created (see
      -- src/jobs/idempotency-keys.ts). Unbound (job_id and batch_id NULL) while that
      -- request is still reading its upload; deleted if it fails, or once older than the TTL.
      CREATE TABLE idempotency_keys (
        account_id TEXT NOT NULL REFERENCES accounts(id),
        key        TEXT NOT NULL,
        claim_id   TEXT NOT NULL, -- which request holds the claim, so only it can bind or release
        endpoint   TEXT NOT NULL CHECK (endpoint IN ('single', 'batch')),
        request    TEXT NOT NULL, -- the parsed prompts, JSON: a retry must send the same
        job_id     TEXT REFERENCES jobs(id),
        batch_id   TEXT REFERENCES batches(id),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, key)
      );
      CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
    `,
  },
];
