/** The in-memory rate limiter and the URL signer, on a ManualClock. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/clock/clock.js';
import { createMemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter.js';
import { assertBlobKey } from '../../src/storage/blob-store.js';
import { createUrlSigner } from '../../src/storage/signed-url.js';

describe('memory rate limiter', () => {
  test('fixed windows aligned to the clock, per key, cost-aware', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 30));
    const limiter = createMemoryRateLimiter({ clock, limit: 3, windowMs: 60_000 });
    const resetAt = Date.UTC(2026, 0, 1, 0, 1, 0);
    assert.deepEqual(await limiter.limit('a'), { allowed: true, limit: 3, remaining: 2, resetAt });
    assert.deepEqual(await limiter.limit('a', 2), { allowed: true, limit: 3, remaining: 0, resetAt });
    assert.deepEqual(await limiter.limit('a'), { allowed: false, limit: 3, remaining: 0, resetAt });
    assert.equal((await limiter.limit('b')).allowed, true);
    clock.set(resetAt);
    assert.deepEqual(await limiter.limit('a'), {
      allowed: true,
      limit: 3,
      remaining: 2,
      resetAt: resetAt + 60_000,
    });
  });
});

describe('signed URLs', () => {
  const clock = new ManualClock(1_000_000_000_000);
  const signer = createUrlSigner({ secret: 'x'.repeat(32), clock, ttlSeconds: 60, publicUrl: 'https://h' });

  test('sign → verify round trip; expiry is exclusive', () => {
    const url = new URL(signer.sign('/v1/files/abc'));
    assert.equal(url.origin + url.pathname, 'https://h/v1/files/abc');
    const expires = url.searchParams.get('expires') as string;
    const sig = url.searchParams.get('sig') as string;
    assert.equal(Number(expires), 1_000_000_000 + 60);
    assert.equal(signer.verify('/v1/files/abc', expires, sig), true);
    clock.set(Number(expires) * 1000 - 1);
    assert.equal(signer.verify('/v1/files/abc', expires, sig), true);
    clock.set(Number(expires) * 1000);
    assert.equal(signer.verify('/v1/files/abc', expires, sig), false);
  });

  test('another secret, path or expiry does not verify', () => {
    clock.set(1_000_000_000_000);
    const url = new URL(signer.sign('/v1/files/abc'));
    const expires = url.searchParams.get('expires') as string;
    const sig = url.searchParams.get('sig') as string;
    const other = createUrlSigner({ secret: 'y'.repeat(32), clock, ttlSeconds: 60, publicUrl: 'https://h' });
    assert.equal(other.verify('/v1/files/abc', expires, sig), false);
    assert.equal(signer.verify('/v1/files/abd', expires, sig), false);
    assert.equal(signer.verify('/v1/files/abc', String(Number(expires) + 1), sig), false);
    assert.equal(signer.verify('/v1/files/abc', undefined, sig), false);
    assert.equal(signer.verify('/v1/files/abc', expires, ''), false);
  });
});

describe('blob keys', () => {
  test('refuse anything that could leave the store root', () => {
    assertBlobKey('masks/abc-1.png');
    for (const bad of ['../x', 'masks/../../etc', '/abs', 'a//b', 'A/B', 'masks/.hidden', '']) {
      assert.throws(() => assertBlobKey(bad), /invalid blob key/, bad);
    }
  });
});
