/**
 * Browser sessions: a 256-bit random token in an HttpOnly cookie, its SHA-256 in the store.
 *
 * @example
 *   const sessions = createSessionService({ store, clock, random, ttlMs: 14 * 86_400_000 });
 *   const { token } = sessions.start(account.id); // → Set-Cookie
 *   sessions.resolve(token); // → { accountId, idHash } | null
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../clock/clock.js';
import type { RandomSource } from '../../random/random-source.js';
import type { SessionStore } from './session-store.js';

export interface ActiveSession {
  accountId: string;
  /** Stable per session and never sent to the browser: CSRF tokens are bound to it. */
  idHash: string;
  expiresAt: number;
}

export interface SessionService {
  start(accountId: string): { token: string; expiresAt: number };
  resolve(token: string | undefined): ActiveSession | null;
  end(token: string | undefined): void;
  endAllFor(accountId: string): void;
}

export const DEFAULT_SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
const TOKEN_BYTES = 32;
/** base64url of 32 bytes; anything else cannot be one of ours and skips the lookup. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createSessionService(opts: {
  store: SessionStore;
  clock: Clock;
  random: RandomSource;
  ttlMs?: number;
}): SessionService {
  const ttlMs = opts.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  return {
    start(accountId) {
      const now = opts.clock.now();
      const token = opts.random.bytes(TOKEN_BYTES).toString('base64url');
      const expiresAt = now + ttlMs;
      opts.store.insert({ idHash: hashSessionToken(token), accountId, createdAt: now, expiresAt });
      // Expired rows are otherwise never read again; sweeping on sign-in keeps the table bounded.
      opts.store.deleteExpired(now);
      return { token, expiresAt };
    },
    resolve(token) {
      if (!token || !TOKEN_PATTERN.test(token)) return null;
      const row = opts.store.find(hashSessionToken(token));
      if (!row || row.expiresAt <= opts.clock.now()) return null;
      return { accountId: row.accountId, idHash: row.idHash, expiresAt: row.expiresAt };
    },
    end(token) {
      if (token && TOKEN_PATTERN.test(token)) opts.store.delete(hashSessionToken(token));
    },
    endAllFor(accountId) {
      opts.store.deleteForAccount(accountId);
    },
  };
}
