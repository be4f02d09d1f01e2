/** Hundreds of parallel requests against a small balance: exactly balance-many succeed. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, grayPng, postBatch, postImage, type TestApp } from '../helpers/test-app.js';

describe('concurrent debits', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      env: { MASKD_RATE_LIMIT_SINGLE: '100000', MASKD_RATE_LIMIT_BATCH: '100000', MASKD_QUEUE_SIZE: '1000' },
    });
  });
  after(() => t.close());

  test('300 parallel requests, balance 7: 7 × 200, 293 × 402, ledger sums to the balance', async () => {
    const { account, key } = t.createCustomer({ credits: 7 });
    const image = await grayPng(16, 16);
    const responses = await Promise.all(
      Array.from({ length: 300 }, () => postImage(t, key, { image, query: 'box=[1,1,8,8]' })),
    );
    const counts = new Map<number, number>();
    for (const r of responses) counts.set(r.statusCode, (counts.get(r.statusCode) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(counts), { 200: 7, 402: 293 });
    for (const r of responses.filter((x) => x.statusCode === 402))
      assert.equal(r.body, '{"detail":"Insufficient credits"}');
    assert.equal(t.deps.credits.balance(account.id), 0);
    const ledger = t.deps.credits.ledger(account.id, { limit: 1000 });
    assert.equal(
      ledger.reduce((s, e) => s + e.delta, 0),
      0,
    );
    assert.equal(ledger.filter((e) => e.kind === 'debit').length, 7);
    assert.ok(ledger.every((e) => e.balanceAfter >= 0));
  });

  test('20 parallel batches of 3 and 40 single requests, balance 11: exactly 11 images paid for', async () => {
    const { account, key } = t.createCustomer({ credits: 11 });
    const image = await grayPng(16, 16);
    const [batches, singles] = await Promise.all([
      Promise.all(
        Array.from({ length: 20 }, () => postBatch(t, key, [image, image, image], 'box=[1,1,8,8]')),
      ),
      Promise.all(Array.from({ length: 40 }, () => postImage(t, key, { image, query: 'box=[1,1,8,8]' }))),
    ]);
    let completed = 0;
    for (const b of batches) {
      // 200 with counts, or 402 when the balance was already gone at the start.
      assert.ok([200, 402].includes(b.statusCode), b.body);
      if (b.statusCode === 200) {
        const body = b.json();
        completed += body.completed;
        assert.equal(body.total_credits_used, body.completed);
        for (const r of body.results.filter((x: { status: string }) => x.status === 'failed'))
          assert.equal(r.error, 'Insufficient credits');
      }
    }
    completed += singles.filter((r) => r.statusCode === 200).length;
    assert.ok(singles.every((r) => [200, 402].includes(r.statusCode)));
    assert.equal(completed, 11);
    assert.equal(t.deps.credits.balance(account.id), 0);
    const ledger = t.deps.credits.ledger(account.id, { limit: 1000 });
    assert.equal(ledger.filter((e) => e.kind === 'debit').length, 11);
    assert.ok(ledger.every((e) => e.balanceAfter >= 0));
  });
});
