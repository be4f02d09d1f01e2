/** 429 with Retry-After and RateLimit headers; the window resets with the clock. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, grayPng, postBatch, postImage, type TestApp } from '../helpers/test-app.js';

describe('rate limits', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { MASKD_RATE_LIMIT_SINGLE: '3', MASKD_RATE_LIMIT_BATCH: '1' } });
    // Start at a window boundary so the reset time is predictable.
    t.clock.set(Date.UTC(2026, 0, 1, 12, 0, 0));
  });
  after(() => t.close());

  test('headers on success, 429 past the limit, allowed again after the window', async () => {
    const { key } = t.createCustomer({ credits: 100 });
    for (let i = 0; i < 3; i++) {
      const ok = await postImage(t, key);
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.headers['ratelimit-limit'], '3');
      assert.equal(ok.headers['ratelimit-remaining'], String(2 - i));
      assert.equal(ok.headers['ratelimit-reset'], '60');
    }
    t.clock.advance(15_000);
    const refused = await postImage(t, key);
    assert.equal(refused.statusCode, 429);
    assert.deepEqual(refused.json(), { detail: 'Rate limit exceeded' });
    assert.equal(refused.headers['retry-after'], '45');
    assert.equal(refused.headers['ratelimit-limit'], '3');
    assert.equal(refused.headers['ratelimit-remaining'], '0');
    assert.equal(refused.headers['ratelimit-reset'], '45');
    t.clock.advance(45_000);
    assert.equal((await postImage(t, key)).statusCode, 200);
  });

  test('limits are per account and per route', async () => {
    const a = t.createCustomer();
    const b = t.createCustomer();
    assert.equal((await postBatch(t, a.key, [await grayPng()])).statusCode, 200);
    assert.equal((await postBatch(t, a.key, [await grayPng()])).statusCode, 429);
    assert.equal((await postBatch(t, b.key, [await grayPng()])).statusCode, 200);
    assert.equal((await postImage(t, a.key)).statusCode, 200);
  });

  test('a refused request costs no credits', async () => {
    const { account, key } = t.createCustomer({ credits: 10 });
    for (let i = 0; i < 5; i++) await postImage(t, key);
    assert.equal(t.deps.credits.balance(account.id), 7);
  });
});
