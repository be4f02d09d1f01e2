/** GET /v1/jobs/:id, async processing (202 → poll), and ownership. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createStubEngine } from '../../src/engine/index.js';
import { gatedEngine } from '../helpers/gated-engine.js';
import { createTestApp, grayPng, postBatch, postImage, type TestApp } from '../helpers/test-app.js';

async function poll(t: TestApp, key: string, url: string, until: (body: { status: string }) => boolean) {
  for (let i = 0; i < 200; i++) {
    const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.statusCode, 200);
    if (until(res.json())) return res.json();
    await sleep(10);
  }
  throw new Error(`${url} never reached the expected state`);
}

describe('jobs', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      engine: (c) => createStubEngine({ maxPixels: c.limits.maxPixels, delayMs: 30 }),
    });
  });
  after(() => t.close());

  test('GET /v1/jobs/:id returns the job object the POST returned, re-signed', async () => {
    const { key } = t.createCustomer();
    const posted = (await postImage(t, key)).json();
    t.clock.advance(1000);
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/jobs/${posted.job_id}`,
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(
      { ...body, result: { ...body.result, output_url: null } },
      {
        ...posted,
        result: { ...posted.result, output_url: null },
      },
    );
    assert.notEqual(body.result.output_url, posted.result.output_url);
  });

  test('async=true: 202 pending at once, then completed on poll, charged once', async () => {
    const { account, key } = t.createCustomer({ credits: 2 });
    const res = await postImage(t, key, { query: 'box=[1,1,30,30]&async=true' });
    assert.equal(res.statusCode, 202);
    const body = res.json();
    assert.equal(body.status, 'pending');
    assert.equal(body.result.status, 'pending');
    assert.equal(body.result.output_url, null);
    assert.equal(body.result.credits_used, null);
    assert.equal(body.result.original_width, 64);
    const done = await poll(t, key, `/v1/jobs/${body.job_id}`, (b) => b.status === 'completed');
    assert.equal(done.result.credits_used, 1);
    assert.ok(done.result.output_url);
    assert.equal(t.deps.credits.balance(account.id), 1);
  });

  test('async=true: pending → processing → completed, each state visible through GET', async () => {
    const gated = gatedEngine(50_000_000);
    const g = await createTestApp({ engine: () => gated.engine });
    try {
      const { key } = g.createCustomer({ credits: 3 });
      const get = async (id: string) =>
        (await g.app.inject({ url: `/v1/jobs/${id}`, headers: { authorization: `Bearer ${key}` } })).json();
      const first = await postImage(g, key, { query: 'box=[1,1,30,30]&async=true' });
      const second = await postImage(g, key, { query: 'box=[1,1,30,30]&async=true' });
      assert.deepEqual([first.statusCode, second.statusCode], [202, 202]);
      assert.equal(first.json().status, 'pending');
      await gated.started; // the worker (one at a time) has taken the first job into the engine
      const running = await get(first.json().job_id);
      assert.deepEqual([running.status, running.result.status], ['processing', 'processing']);
      assert.equal(running.result.output_url, null);
      assert.equal(running.result.credits_used, null);
      assert.equal((await get(second.json().job_id)).status, 'pending');
      gated.open();
      const done = await poll(g, key, `/v1/jobs/${second.json().job_id}`, (b) => b.status === 'completed');
      assert.equal(done.result.credits_used, 1);
      assert.equal((await get(first.json().job_id)).status, 'completed');
    } finally {
      await g.close();
    }
  });

  test('async batch: 202 pending, then completed in order', async () => {
    const { key } = t.createCustomer({ credits: 5 });
    const png = await grayPng();
    const res = await postBatch(t, key, [png, png, png], 'box=[1,1,30,30]&async=true');
    assert.equal(res.statusCode, 202);
    const body = res.json();
    assert.equal(body.status, 'pending');
    assert.deepEqual([body.completed, body.failed], [0, 0]);
    const done = await poll(t, key, `/v1/batches/${body.batch_id}`, (b) => b.status === 'completed');
    assert.deepEqual([done.completed, done.failed, done.total_credits_used], [3, 0, 3]);
  });

  test("another account's job and batch answer exactly like unknown ids: 404", async () => {
    const owner = t.createCustomer();
    const other = t.createCustomer();
    const job = (await postImage(t, owner.key)).json();
    const batch = (await postBatch(t, owner.key, [await grayPng()])).json();
    for (const [url, unknown] of [
      [`/v1/jobs/${job.job_id}`, '/v1/jobs/00000000-0000-4000-8000-000000000000'],
      [`/v1/batches/${batch.batch_id}`, '/v1/batches/00000000-0000-4000-8000-000000000000'],
    ]) {
      const theirs = await t.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${other.key}` },
      });
      const none = await t.app.inject({
        method: 'GET',
        url: unknown,
        headers: { authorization: `Bearer ${other.key}` },
      });
      assert.equal(theirs.statusCode, 404);
      assert.equal(none.statusCode, 404);
      assert.equal(theirs.body, none.body, url);
      assert.equal(theirs.headers['content-type'], none.headers['content-type']);
    }
  });
});
