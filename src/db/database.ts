/**
 * The SQLite database: one file in the data dir, opened once by the composition root.
 *
 * WAL lets the CLI write (create a key, add credits) while the server runs; `busy_timeout` makes
 * the rare concurrent writer wait instead of failing.
 */
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies the migrations not yet recorded, in order, all in one IMMEDIATE transaction. */
function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const apply = db.transaction(() => {
    const done = new Set(
      (db.prepare('SELECT id FROM schema_migrations').all() as { id: number }[]).map((r) => r.id),
    );
    const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      db.exec(m.sql);
      // Wall time on purpose: this records when the schema changed, not application time.
      record.run(m.id, m.name, Date.now());
    }
  });
  // IMMEDIATE: two processes starting together cannot both apply the same migration.
  apply.immediate();
}
