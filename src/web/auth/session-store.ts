/**
 * Where sessions live. Only the SHA-256 of a session token is ever stored, so a leaked
 * database (or backup) holds nothing that can be replayed as a cookie.
 */
export interface SessionRecord {
  /** SHA-256 of the cookie token, hex. */
  idHash: string;
  accountId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
}

export interface SessionStore {
  insert(record: SessionRecord): void;
  find(idHash: string): SessionRecord | null;
  delete(idHash: string): void;
  /** Signs an account out everywhere (password change, account disabled). */
  deleteForAccount(accountId: string): void;
  /** Returns the number of rows removed. */
  deleteExpired(now: number): number;
}

/** In-memory twin for unit tests. */
export function createMemorySessionStore(): SessionStore {
  const rows = new Map<string, SessionRecord>();
  return {
    insert: (r) => void rows.set(r.idHash, { ...r }),
    find: (h) => {
      const r = rows.get(h);
      return r ? { ...r } : null;
    },
    delete: (h) => void rows.delete(h),
    deleteForAccount: (id) => {
      for (const [h, r] of rows) if (r.accountId === id) rows.delete(h);
    },
    deleteExpired: (now) => {
      let n = 0;
      for (const [h, r] of rows)
        if (r.expiresAt <= now) {
          rows.delete(h);
          n++;
        }
      return n;
    },
  };
}
