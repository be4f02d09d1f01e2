/**
 * API keys: `sk-live-` + base64url of 32 random bytes (256 bits). Only the SHA-256 of the
 * secret is stored, with a short display prefix; the secret is shown once, at creation.
 *
 * A lookup by hash is constant-time in effect: the secret never meets a byte-by-byte compare,
 * only an index probe on its digest.
 *
 * @example
 *   const { key } = apiKeys.create({ accountId, name: 'ci' }); // show `key` once
 *   apiKeys.authenticate(key); // → { account, keyId } | null
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock/clock.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { type RandomSource, randomUuid } from '../random/random-source.js';
import type { Account, AccountService } from './account-service.js';

export const KEY_PREFIX = 'sk-live-';
const SECRET_BYTES = 32;
/** `sk-live-` + 8 secret characters: enough to tell keys apart in a list, useless to an attacker. */
const DISPLAY_PREFIX_LENGTH = KEY_PREFIX.length + 8;
const KEY_PATTERN = /^sk-live-[A-Za-z0-9_-]{22,86}$/;
/** last_used_at is advisory; writing it on every request would turn each read into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyInfo {
  id: string;
  accountId: string;
  name: string;
  /** e.g. `sk-live-AbCd1234`; safe to display. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiKeyService {
  /** @returns the secret (show it once) and the stored record. @throws `not_found` for an unknown account. */
  create(input: { accountId: string; name?: string }): { key: string; info: ApiKeyInfo };
  /** null for a malformed, unknown or revoked key. The account may be disabled: the caller decides. */
  authenticate(secret: string): { account: Account; keyId: string } | null;
  /** Newest first, revoked ones included (with `revokedAt`). */
  list(accountId: string): ApiKeyInfo[];
  /** Revokes one of the account's keys. @returns false if it has no such active key. */
  revoke(accountId: string, keyId: string): boolean;
  /** Operator: revoke by display prefix. @throws `not_found`, or `conflict` when the prefix is ambiguous. */
  revokeByPrefix(prefix: string): ApiKeyInfo;
}

interface KeyRow {
  id: string;
  account_id: string;
  name: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const hashApiKey = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const toInfo = (r: KeyRow): ApiKeyInfo => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export function createApiKeyService(opts: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  accounts: AccountService;
}): ApiKeyService {
  const { db, clock } = opts;
  const COLUMNS = 'id, account_id, name, prefix, created_at, last_used_at, revoked_at';
  const insert = db.prepare(
    'INSERT INTO api_keys (id, account_id, name, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare<[string], KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE hash = ?`);
  const byId = db.prepare<[string], KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`);
  const touch = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
  const revokeStmt = db.prepare(
    'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL',
  );

  return {
    create({ accountId, name = 'default' }) {
      if (!opts.accounts.get(accountId)) throw new AppError('not_found', `No account with id "${accountId}"`);
      const key = KEY_PREFIX + opts.random.bytes(SECRET_BYTES).toString('base64url');
      const id = randomUuid(opts.random);
      insert.run(
        id,
        accountId,
        name.slice(0, 100),
        key.slice(0, DISPLAY_PREFIX_LENGTH),
        hashApiKey(key),
        clock.now(),
      );
      return { key, info: toInfo(byId.get(id) as KeyRow) };
    },
    authenticate(secret) {
      if (!KEY_PATTERN.test(secret)) return null;
      const row = byHash.get(hashApiKey(secret));
      if (!row || row.revoked_at !== null) return null;
      const account = opts.accounts.get(row.account_id);
      if (!account) return null;
      const now = clock.now();
      if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS)
        touch.run(now, row.id);
      return { account, keyId: row.id };
    },
    list(accountId) {
      return db
        .prepare<[string], KeyRow>(
          `SELECT ${COLUMNS} FROM api_keys WHERE account_id = ? ORDER BY created_at DESC, id`,
        )
        .all(accountId)
        .map(toInfo);
    },
    revoke(accountId, keyId) {
      return revokeStmt.run(clock.now(), keyId, accountId).changes === 1;
    },
    revokeByPrefix(prefix) {
      const rows = db
        .prepare<[string], KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE prefix = ? AND revoked_at IS NULL`)
        .all(prefix);
      if (rows.length === 0) throw new AppError('not_found', `No active key with prefix ${prefix}`);
      if (rows.length > 1) throw new AppError('conflict', `Prefix ${prefix} matches ${rows.length} keys`);
      revokeStmt.run(clock.now(), rows[0].id, rows[0].account_id);
      return toInfo(byId.get(rows[0].id) as KeyRow);
    },
  };
}
