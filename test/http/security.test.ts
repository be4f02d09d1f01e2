/**
 * The shared security suite: every authenticated endpoint, from one table, against no key,
 * a malformed key, an unknown key, a revoked key and a disabled account.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, grayPng, multipartBody, type TestApp } from '../helpers/test-app.js';

interface Endpoint {
  method: 'GET' | 'POST';
  url: string;
  multipartField?: string;
}

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', url: '/v1/services/image-segmentation?box=[1,1,5,5]', multipartField: 'file' },
  { method: 'POST', url: '/v1/services/image-segmentation/batch?box=[1,1,5,5]', multipartField: 'files' },
  { method: 'GET', url: '/v1/jobs/00000000-0000-4000-8000-000000000000' },
  { method: 'GET', url: '/v1/batches/00000000-0000-4000-8000-000000000000' },
  { method: 'GET', url: '/v1/account' },
];

describe('security suite (every authenticated endpoint)', () => {
  let t: TestApp;
  let revoked: string;
  let disabled: string;
  let unknown: string;
  let png: Buffer;
  before(async () => {
    t = await createTestApp();
    png = await grayPng();
    const r = t.createCustomer();
    t.deps.apiKeys.revoke(r.account.id, t.deps.apiKeys.list(r.account.id)[0].id);
    revoked = r.key;
    const d = t.createCustomer();
    t.deps.accounts.setDisabled(d.account.id, true);
    disabled = d.key;
    // Well-formed, never issued.
    unknown = `sk-live-${Buffer.alloc(32, 9).toString('base64url')}`;
  });
  after(() => t.close());

  const call = (e: Endpoint, authorization?: string) => {
    const form = e.multipartField
      ? multipartBody([{ name: e.multipartField, filename: 'a.png', data: png }])
      : null;
    return t.app.inject({
      method: e.method,
      url: e.url,
      headers: { ...(authorization ? { authorization } : {}), ...(form?.headers ?? {}) },
      ...(form ? { payload: form.payload } : {}),
    });
  };

  for (const e of ENDPOINTS) {
    test(`${e.method} ${e.url.split('?')[0]}: no/malformed/unknown/revoked key → the same 401`, async () => {
      const answers = [];
      for (const auth of [
        undefined,
        'Bearer',
        'Bearer sk-live-short',
        'Basic dXNlcjpwYXNz',
        `Bearer ${unknown}`,
        `Bearer ${revoked}`,
        revoked,
      ]) {
        const res = await call(e, auth);
        assert.equal(res.statusCode, 401, String(auth));
        assert.equal(res.headers['www-authenticate'], 'Bearer');
        answers.push(res.body);
      }
      assert.equal(new Set(answers).size, 1);
      assert.deepEqual(JSON.parse(answers[0]), { detail: 'Invalid or missing API key' });
    });

    test(`${e.method} ${e.url.split('?')[0]}: a disabled account's key → 403`, async () => {
      const res = await call(e, `Bearer ${disabled}`);
      assert.equal(res.statusCode, 403);
      assert.deepEqual(res.json(), { detail: 'This account is disabled' });
    });
  }

  test('the key is checked before anything else: a bad key with a bad query is still 401', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/services/image-segmentation?points=[[&async=maybe',
    });
    assert.equal(res.statusCode, 401);
  });

  test('last_used_at is recorded, at most once a minute', async () => {
    const { account, key } = t.createCustomer();
    assert.equal(t.deps.apiKeys.list(account.id)[0].lastUsedAt, null);
    await call(ENDPOINTS[4], `Bearer ${key}`);
    const first = t.deps.apiKeys.list(account.id)[0].lastUsedAt;
    assert.equal(first, t.clock.now());
    t.clock.advance(30_000);
    await call(ENDPOINTS[4], `Bearer ${key}`);
    assert.equal(t.deps.apiKeys.list(account.id)[0].lastUsedAt, first);
    t.clock.advance(31_000);
    await call(ENDPOINTS[4], `Bearer ${key}`);
    assert.equal(t.deps.apiKeys.list(account.id)[0].lastUsedAt, t.clock.now());
  });
});
