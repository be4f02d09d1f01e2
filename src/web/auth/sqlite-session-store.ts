/** SessionStore over the `web_sessions` table (src/db/migrations.ts, "web sessions and top-up requests"). */
import type { Db } from '../../db/database.js';
import type { SessionStore } from './session-store.js';

interface Row {
  id_hash: string;
  account_id: string;
  created_at: number;
  expires_at: number;
}

export function createSqliteSessionStore(opts: { db: Db }): SessionStore {
  const { db } = opts;
  const insert = db.prepare(
    'INSERT INTO web_sessions (id_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const find = db.prepare<[string], Row>('SELECT * FROM web_sessions WHERE id_hash = ?');
  const del = db.prepare<[string]>('DELETE FROM web_sessions WHERE id_hash = ?');
  const delAccount = db.prepare<[string]>('DELETE FROM web_sessions WHERE account_id = ?');
  const delExpired = db.prepare<[number]>('DELETE FROM web_sessions WHERE expires_at <= ?');
  return {
    insert: (r) => void insert.run(r.idHash, r.accountId, r.createdAt, r.expiresAt),
    find(idHash) {
      const r = find.get(idHash);
      return r
        ? { idHash: r.id_hash, accountId: r.account_id, createdAt: r.created_at, expiresAt: r.expires_at }
        : null;
    },
    delete: (idHash) => void del.run(idHash),
    deleteForAccount: (accountId) => void delAccount.run(accountId),
    deleteExpired: (now) => delExpired.run(now).changes,
  };
}
