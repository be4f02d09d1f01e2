/** Accounts, API keys and the credit ledger against a real SQLite file. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/database.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { AppError } from '../../src/errors/app-error.js';
import { serviceFixture } from './service-fixture.js';

describe('account services', () => {
  let f: Awaited<ReturnType<typeof serviceFixture>>;
  before(async () => {
    f = await serviceFixture();
  });
  after(() => f.close());

  test('migrations are recorded once and re-opening applies nothing twice', () => {
    const ids = (f.db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: number }[]).map(
      (r) => r.id,
    );
    assert.deepEqual(
      ids,
      MIGRATIONS.map((m) => m.id),
    );
    const again = openDatabase(f.db.name);
    assert.equal(
      (again.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n,
      ids.length,
    );
    again.close();
  });

  test('emails are normalised and unique; bad ones refused', () => {
    const a = f.accounts.create({ email: ' Grace@Example.COM ' });
    assert.equal(a.email, 'grace@example.com');
    assert.equal(a.balance, 0);
    assert.throws(
      () => f.accounts.create({ email: 'grace@example.com' }),
      (e: AppError) => e.code === 'conflict',
    );
    assert.throws(
      () => f.accounts.create({ email: 'nope' }),
      (e: AppError) => e.code === 'validation',
    );
    assert.equal(f.accounts.getByEmail('GRACE@example.com')?.id, a.id);
  });

  test('keys: sk-live- + 43 base64url chars, only the hash stored, revocable', () => {
    const acct = f.accounts.create({ email: 'keys@example.com' });
    const { key, info } = f.apiKeys.create({ accountId: acct.id, name: 'laptop' });
    assert.match(key, /^sk-live-[A-Za-z0-9_-]{43}$/);
    assert.equal(info.prefix, key.slice(0, 16));
    const row = f.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(info.id) as Record<string, unknown>;
    assert.equal(row.hash, createHash('sha256').update(key).digest('hex'));
    assert.doesNotMatch(JSON.stringify(row), new RegExp(key.slice(16)));
    assert.equal(f.apiKeys.authenticate(key)?.account.id, acct.id);
    assert.equal(f.apiKeys.authenticate(`${key}x`), null);
    assert.equal(f.apiKeys.revoke('someone-else', info.id), false);
    assert.equal(f.apiKeys.revoke(acct.id, info.id), true);
    assert.equal(f.apiKeys.authenticate(key), null);
    assert.equal(f.apiKeys.list(acct.id)[0].revokedAt, f.clock.now());
  });

  test('revokeByPrefix: unknown → not_found', () => {
    assert.throws(
      () => f.apiKeys.revokeByPrefix('sk-live-zzzzzzzz'),
      (e: AppError) => e.code === 'not_found',
    );
  });

  test('credits: guarded debit, refunds as new rows, ledger pages newest first', () => {
    const acct = f.accounts.create({ email: 'credits@example.com' });
    f.credits.grant(acct.id, 3, 'welcome');
    assert.ok(f.credits.debit(acct.id, 2, { jobId: 'j1' }));
    assert.equal(
      f.credits.debit(acct.id, 2, { jobId: 'j2' }),
      null,
      'never below zero, even for multi-credit debits',
    );
    assert.equal(f.credits.balance(acct.id), 1);
    f.credits.refund(acct.id, 2, { jobId: 'j1' });
    assert.equal(f.credits.balance(acct.id), 3);
    const page1 = f.credits.ledger(acct.id, { limit: 2 });
    assert.deepEqual(
      page1.map((e) => [e.kind, e.delta, e.balanceAfter]),
      [
        ['refund', 2, 3],
        ['debit', -2, 1],
      ],
    );
    const page2 = f.credits.ledger(acct.id, { limit: 2, beforeId: page1[1].id });
    assert.deepEqual(
      page2.map((e) => [e.kind, e.note]),
      [['grant', 'welcome']],
    );
    assert.throws(
      () => f.credits.grant(acct.id, 0),
      (e: AppError) => e instanceof AppError && e.code === 'validation',
    );
    assert.throws(
      () => f.credits.grant('missing', 5),
      (e: AppError) => e.code === 'not_found',
    );
  });

  test('the balance cannot go negative even by a direct write (CHECK constraint)', () => {
    const acct = f.accounts.create({ email: 'check@example.com' });
    assert.throws(() => f.db.prepare('UPDATE accounts SET balance = -1 WHERE id = ?').run(acct.id), /CHECK/);
  });

  test('admin: list accounts newest first, disable and enable', () => {
    f.clock.advance(1000);
    const newest = f.accounts.create({ email: 'newest@example.com', isAdmin: true });
    const { accounts, total } = f.accounts.list({ limit: 1, offset: 0 });
    assert.equal(accounts[0].id, newest.id);
    assert.ok(total >= 2);
    assert.equal(accounts[0].isAdmin, true);
    assert.equal(f.accounts.setDisabled(newest.id, true).disabledAt, f.clock.now());
    assert.equal(f.accounts.setDisabled(newest.id, false).disabledAt, null);
  });
});
