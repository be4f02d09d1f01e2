/** POST /v1/services/image-segmentation/batch: shapes, partial failures, limits. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CORRUPT_PNG, createTestApp, GIF, grayPng, postBatch, type TestApp } from '../helpers/test-app.js';

const SPEC_BATCH_KEYS = [
  'batch_id',
  'status',
  'total_files',
  'completed',
  'failed',
  'results',
  'total_processing_time_ms',
  'total_credits_used',
  'error',
];

describe('POST /v1/services/image-segmentation/batch', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { MASKD_MAX_BATCH_FILES: '6' } });
  });
  after(() => t.close());

  test('200 with the spec batch object; each result is a job result', async () => {
    const { account, key } = t.createCustomer({ credits: 5 });
    const res = await postBatch(t, key, [await grayPng(), await grayPng(40, 30)]);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body), SPEC_BATCH_KEYS);
    assert.equal(body.status, 'completed');
    assert.equal(body.total_files, 2);
    assert.equal(body.completed, 2);
    assert.equal(body.failed, 0);
    assert.equal(body.total_credits_used, 2);
    assert.equal(body.error, null);
    assert.equal(body.results.length, 2);
    assert.deepEqual(
      body.results.map((r: { input_filename: string; status: string; credits_used: number }) => [
        r.input_filename,
        r.status,
        r.credits_used,
      ]),
      [
        ['img0.png', 'completed', 1],
        ['img1.png', 'completed', 1],
      ],
    );
    assert.equal(body.results[1].original_width, 40);
    assert.ok(body.results.every((r: { output_url: string }) => r.output_url.includes('/v1/files/')));
    const sum = body.results.reduce(
      (s: number, r: { processing_time_ms: number }) => s + r.processing_time_ms,
      0,
    );
    assert.ok(Math.abs(body.total_processing_time_ms - sum) < 0.2);
    assert.equal(t.deps.credits.balance(account.id), 3);
  });

  test('5 files, balance 3: 3 completed in order, 2 failed "Insufficient credits", nothing overcharged', async () => {
    const { account, key } = t.createCustomer({ credits: 3 });
    const png = await grayPng();
    const res = await postBatch(t, key, [png, png, png, png, png]);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'completed');
    assert.deepEqual([body.total_files, body.completed, body.failed, body.total_credits_used], [5, 3, 2, 3]);
    assert.deepEqual(
      body.results.map((r: { status: string }) => r.status),
      ['completed', 'completed', 'completed', 'failed', 'failed'],
    );
    for (const r of body.results.slice(3)) {
      assert.equal(r.error, 'Insufficient credits');
      assert.equal(r.credits_used, 0);
      assert.equal(r.output_url, null);
    }
    assert.equal(t.deps.credits.balance(account.id), 0);
  });

  test('a corrupt image, a GIF and an empty file fail alone with their own messages; the others proceed', async () => {
    const { account, key } = t.createCustomer({ credits: 10 });
    const png = await grayPng();
    const body = (await postBatch(t, key, [png, CORRUPT_PNG, GIF, png, Buffer.alloc(0)])).json();
    assert.deepEqual([body.completed, body.failed, body.total_credits_used], [2, 3, 2]);
    assert.deepEqual(
      body.results.map((r: { status: string }) => r.status),
      ['completed', 'failed', 'failed', 'completed', 'failed'],
    );
    assert.match(body.results[1].error, /PNG/);
    assert.match(body.results[2].error, /gif/i);
    assert.equal(body.results[4].error, 'The uploaded file is empty');
    for (const i of [1, 2, 4]) assert.equal(body.results[i].credits_used, 0);
    assert.equal(t.deps.credits.balance(account.id), 8);
  });

  test('every file failing makes the batch "failed" with an error', async () => {
    const { key } = t.createCustomer({ credits: 10 });
    const body = (await postBatch(t, key, [CORRUPT_PNG])).json();
    assert.equal(body.status, 'failed');
    assert.equal(body.error, 'All 1 files failed');
  });

  test('402 only when not even one image can be paid for', async () => {
    const { key } = t.createCustomer({ credits: 0 });
    const res = await postBatch(t, key, [await grayPng()]);
    assert.equal(res.statusCode, 402);
    assert.deepEqual(res.json(), { detail: 'Insufficient credits' });
  });

  test('413 for more files than allowed, with nothing charged; 400 for none', async () => {
    const { account, key } = t.createCustomer({ credits: 10 });
    const png = await grayPng(8, 8);
    const res = await postBatch(
      t,
      key,
      Array.from({ length: 7 }, () => png),
    );
    assert.equal(res.statusCode, 413);
    assert.match(res.json().detail, /At most 6 files/);
    assert.equal(t.deps.credits.balance(account.id), 10);
    const none = await postBatch(t, key, []);
    assert.equal(none.statusCode, 400);
  });

  test('the batch reads back via GET /v1/batches/:id, with fresh signatures', async () => {
    const { key } = t.createCustomer();
    const posted = (await postBatch(t, key, [await grayPng()])).json();
    t.clock.advance(5_000);
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/batches/${posted.batch_id}`,
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual({ ...body, results: null }, { ...posted, results: null });
    assert.notEqual(body.results[0].output_url, posted.results[0].output_url);
    assert.equal(
      new URL(body.results[0].output_url).pathname,
      new URL(posted.results[0].output_url).pathname,
    );
  });
});
