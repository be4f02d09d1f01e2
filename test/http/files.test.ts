/** GET /v1/files/:job_id — signed URLs, expiry by the clock, and the retention sweep. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, postImage, type TestApp } from '../helpers/test-app.js';

describe('GET /v1/files/:job_id', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      env: { MASKD_SIGNED_URL_TTL_SECONDS: '3600', MASKD_FILE_RETENTION_SECONDS: '86400' },
    });
  });
  after(() => t.close());

  /** A fresh completed job's output URL, as path + query. */
  async function outputUrl(): Promise<{ path: string; expires: string; sig: string }> {
    const { key } = t.createCustomer();
    const url = new URL((await postImage(t, key)).json().result.output_url);
    return {
      path: url.pathname,
      expires: url.searchParams.get('expires') as string,
      sig: url.searchParams.get('sig') as string,
    };
  }
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const FORBIDDEN = '{"detail":"Invalid or expired signature"}';

  test('valid until T−1 s, refused from T+1 s (T = expires)', async () => {
    const u = await outputUrl();
    const expiresMs = Number(u.expires) * 1000;
    assert.equal(expiresMs - t.clock.now() <= 3600_000, true);
    t.clock.set(expiresMs - 1000);
    assert.equal((await get(`${u.path}?expires=${u.expires}&sig=${u.sig}`)).statusCode, 200);
    t.clock.set(expiresMs + 1000);
    const late = await get(`${u.path}?expires=${u.expires}&sig=${u.sig}`);
    assert.equal(late.statusCode, 403);
    assert.equal(late.body, FORBIDDEN);
  });

  test('tampered signature, expiry or path, and missing parts: the same 403', async () => {
    const u = await outputUrl();
    const other = await outputUrl();
    const flipped = u.sig.slice(0, -2) + (u.sig.endsWith('AA') ? 'BB' : 'AA');
    for (const url of [
      `${u.path}?expires=${u.expires}&sig=${flipped}`,
      `${u.path}?expires=${Number(u.expires) + 3600}&sig=${u.sig}`,
      `${other.path}?expires=${u.expires}&sig=${u.sig}`,
      `/v1/files/00000000-0000-4000-8000-000000000000?expires=${u.expires}&sig=${u.sig}`,
      `${u.path}?expires=${u.expires}`,
      `${u.path}?sig=${u.sig}`,
      u.path,
      `${u.path}?expires=abc&sig=${u.sig}`,
      `${u.path}?expires=${u.expires}&sig=%00%01`,
    ]) {
      const res = await get(url);
      assert.equal(res.statusCode, 403, url);
      assert.equal(res.body, FORBIDDEN, url);
    }
  });

  test('files are deleted after retention by the sweeper; a still-valid URL then answers 404', async () => {
    const { key } = t.createCustomer();
    const body = (await postImage(t, key)).json();
    const path = new URL(body.result.output_url).pathname;
    const u = { path, jobId: body.job_id as string };
    const maskKey = `masks/${u.jobId}.png`;
    await t.deps.sweeper.sweep();
    t.clock.advance(86_400_000 - 1000);
    await t.deps.sweeper.sweep();
    assert.ok(await t.deps.blobs.get(maskKey), 'kept until retention has passed');
    const signedNow = new URL(t.deps.signer.sign(u.path));
    assert.equal((await get(signedNow.pathname + signedNow.search)).statusCode, 200);
    t.clock.advance(2000);
    assert.ok((await t.deps.sweeper.sweep()) >= 1);
    assert.equal(await t.deps.blobs.get(maskKey), null);
    // A URL signed now is valid but points at nothing.
    const fresh = new URL(t.deps.signer.sign(u.path));
    const res = await get(fresh.pathname + fresh.search);
    assert.equal(res.statusCode, 404);
    // The job now reports no URL rather than a dead one.
    const job = await t.app.inject({
      url: `/v1/jobs/${u.jobId}`,
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(job.statusCode, 200);
    assert.equal(job.json().status, 'completed');
    assert.equal(job.json().result.output_url, null);
  });
});
