/**
 * Accounts: who may call the API. Used by the HTTP layer (via API keys), the operator CLI and
 * the web pages (sign-up, admin). Passwords are hashed by the caller; this only stores the hash.
 *
 * @example
 *   const accounts = createAccountService({ db, clock, random });
 *   const acct = accounts.create({ email: 'ada@example.com' });
 */
import type { Clock } from '../clock/clock.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { type RandomSource, randomUuid } from '../random/random-source.js';

export interface Account {
  id: string;
  email: string;
  isAdmin: boolean;
  /** Credits available now. */
  balance: number;
  /** ms since epoch; null while the account is active. */
  disabledAt: number | null;
  createdAt: number;
}

export interface AccountService {
  /** @throws AppError `conflict` if the email is taken, `validation` if it is not an email. */
  create(input: { email: string; passwordHash?: string | null; isAdmin?: boolean }): Account;
  get(id: string): Account | null;
  getByEmail(email: string): (Account & { passwordHash: string | null }) | null;
  /** Newest first. */
  list(page: { limit: number; offset: number }): { accounts: Account[]; total: number };
  setPasswordHash(id: string, passwordHash: string): void;
  /** @throws AppError `not_found`. */
  setDisabled(id: string, disabled: boolean): Account;
  setAdmin(id: string, isAdmin: boolean): Account;
}

interface AccountRow {
  id: string;
  email: string;
  password_hash: string | null;
  is_admin: number;
  balance: number;
  disabled_at: number | null;
  created_at: number;
}

// Deliberately loose: the only real proof of an address is mail reaching it.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  email: r.email,
  isAdmin: r.is_admin === 1,
  balance: r.balance,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

export function createAccountService(opts: { db: Db; clock: Clock; random: RandomSource }): AccountService {
  const { db } = opts;
  const byId = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?');
  const byEmail = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE email = ?');
  const insert = db.prepare(
    'INSERT INTO accounts (id, email, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const page = db.prepare<[number, number], AccountRow>(
    'SELECT * FROM accounts ORDER BY created_at DESC, id LIMIT ? OFFSET ?',
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts');

  const mustGet = (id: string): Account => {
    const row = byId.get(id);
    if (!row) throw new AppError('not_found', `No account with id "${id}"`);
    return toAccount(row);
  };

  return {
    create({ email, passwordHash = null, isAdmin = false }) {
      const normalized = normalizeEmail(email);
      if (!EMAIL.test(normalized)) {
        throw new AppError('validation', 'not a valid email address', { field: 'email', location: 'body' });
      }
      const id = randomUuid(opts.random);
      try {
        insert.run(id, normalized, passwordHash, isAdmin ? 1 : 0, opts.clock.now());
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new AppError('conflict', 'An account with this email already exists', { field: 'email' });
        }
        throw err;
      }
      return mustGet(id);
    },
    get: (id) => {
      const row = byId.get(id);
      return row ? toAccount(row) : null;
    },
    getByEmail(email) {
      const row = byEmail.get(normalizeEmail(email));
      return row ? { ...toAccount(row), passwordHash: row.password_hash } : null;
    },
    list({ limit, offset }) {
      return { accounts: page.all(limit, offset).map(toAccount), total: count.get()?.n ?? 0 };
    },
    setPasswordHash(id, passwordHash) {
      db.prepare('UPDATE accounts SET password_hash = ? WHERE id = ?').run(passwordHash, id);
    },
    setDisabled(id, disabled) {
      db.prepare('UPDATE accounts SET disabled_at = ? WHERE id = ?').run(
        disabled ? opts.clock.now() : null,
        id,
      );
      return mustGet(id);
    },
    setAdmin(id, isAdmin) {
      db.prepare('UPDATE accounts SET is_admin = ? WHERE id = ?').run(isAdmin ? 1 : 0, id);
      return mustGet(id);
    },
  };
}
