/** POST /v1/services/image-segmentation: happy path, every error status, and the order of checks. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createStubEngine } from '../../src/engine/index.js';
import {
  CORRUPT_PNG,
  createTestApp,
  GIF,
  grayPng,
  multipartBody,
  PUBLIC_URL,
  postImage,
  type TestApp,
} from '../helpers/test-app.js';

/** The spec's 200 example, keys in order, with the type of each value. */
const SPEC_JOB_KEYS = ['job_id', 'status', 'result', 'error'];
const SPEC_RESULT_KEYS = [
  'job_id',
  'status',
  'input_filename',
  'output_url',
  'processing_time_ms',
  'error',
  'original_width',
  'original_height',
  'output_width',
  'output_height',
  'credits_used',
];

describe('POST /v1/services/image-segmentation', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { MASKD_MAX_UPLOAD_BYTES: '20000' } });
  });
  after(() => t.close());

  test('200 with exactly the spec job object, and one credit taken', async () => {
    const { account, key } = t.createCustomer({ credits: 2 });
    const res = await postImage(t, key, {
      query: 'points=[[10,20],[30,40]]&labels=[1,0]',
      filename: 'photo.png',
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    const body = res.json();
    assert.deepEqual(Object.keys(body), SPEC_JOB_KEYS);
    assert.deepEqual(Object.keys(body.result), SPEC_RESULT_KEYS);
    assert.equal(body.status, 'completed');
    assert.equal(body.error, null);
    const r = body.result;
    assert.equal(r.job_id, body.job_id);
    assert.equal(r.status, 'completed');
    assert.equal(r.input_filename, 'photo.png');
    assert.ok(r.output_url.startsWith(`${PUBLIC_URL}/v1/files/${body.job_id}?expires=`), r.output_url);
    assert.match(r.output_url, /&sig=[A-Za-z0-9_-]{43}$/);
    assert.equal(typeof r.processing_time_ms, 'number');
    assert.equal(r.error, null);
    assert.deepEqual(
      [r.original_width, r.original_height, r.output_width, r.output_height],
      [64, 48, 64, 48],
    );
    assert.equal(r.credits_used, 1);
    assert.equal(t.deps.credits.balance(account.id), 1);
  });

  test('the mask downloads from output_url as a PNG of the image size', async () => {
    const { key } = t.createCustomer();
    const body = (await postImage(t, key)).json();
    const url = new URL(body.result.output_url);
    const res = await t.app.inject({ method: 'GET', url: url.pathname + url.search });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    const png = res.rawPayload;
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.equal(png.readUInt32BE(16), 64);
    assert.equal(png.readUInt32BE(20), 48);
  });

  test('400 when there is no file, or the file is in another field', async () => {
    const { key } = t.createCustomer();
    const empty = multipartBody([{ name: 'note', data: 'hello' }]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/services/image-segmentation?box=[1,1,5,5]',
      headers: { authorization: `Bearer ${key}`, ...empty.headers },
      payload: empty.payload,
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().detail, /No file provided/);
    const wrongField = await postImage(t, key, { field: 'image' });
    assert.equal(wrongField.statusCode, 400);
  });

  test('400 when neither points nor box is given', async () => {
    const { key } = t.createCustomer();
    const res = await postImage(t, key, { query: '' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json(), { detail: 'At least one of points or box is required' });
  });

  test('422 in the spec shape for malformed prompts', async () => {
    const { key } = t.createCustomer();
    const res = await postImage(t, key, { query: 'points=[[100,200' });
    assert.equal(res.statusCode, 422);
    assert.equal(
      res.body,
      '{"detail":[{"loc":["query","points"],"msg":"invalid JSON array","type":"value_error"}]}',
    );
    for (const q of ['box=[1,2,3]', 'labels=[1]&points=[[1,2],[3,4]]', 'points=[[-1,5]]', 'box=[5,5,1,1]']) {
      const r = await postImage(t, key, { query: q });
      assert.equal(r.statusCode, 422, q);
      assert.equal(r.json().detail[0].type, 'value_error');
    }
  });

  test('422 for a prompt outside the image, before any credit is taken', async () => {
    const { account, key } = t.createCustomer({ credits: 1 });
    const res = await postImage(t, key, { query: 'points=[[500,5]]' });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json().detail[0].loc, ['query', 'points']);
    assert.equal(t.deps.credits.balance(account.id), 1);
  });

  test('422 when async is not a boolean', async () => {
    const { key } = t.createCustomer();
    const res = await postImage(t, key, { query: 'box=[1,1,5,5]&async=maybe' });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(res.json(), {
      detail: [{ loc: ['query', 'async'], msg: 'must be boolean', type: 'value_error' }],
    });
  });

  test('402 with zero credits, before the upload is read', async () => {
    const { key } = t.createCustomer({ credits: 0 });
    const res = await postImage(t, key, { image: CORRUPT_PNG });
    assert.equal(res.statusCode, 402);
    assert.equal(res.body, '{"detail":"Insufficient credits"}');
  });

  test('413 for an upload over the limit, refused while streaming', async () => {
    const { account, key } = t.createCustomer({ credits: 1 });
    const res = await postImage(t, key, { image: Buffer.alloc(50_000, 1) });
    assert.equal(res.statusCode, 413);
    assert.match(res.json().detail, /maximum size/);
    assert.equal(t.deps.credits.balance(account.id), 1);
  });

  test('413 for too many pixels, from the header alone', async () => {
    const small = await createTestApp({ env: { MASKD_MAX_PIXELS: '100' } });
    try {
      const { key } = small.createCustomer();
      const res = await postImage(small, key);
      assert.equal(res.statusCode, 413);
      assert.match(res.json().detail, /pixels/);
    } finally {
      await small.close();
    }
  });

  test('415 for a GIF; 400 for bytes that are not an image or a corrupt PNG; no credit taken', async () => {
    const { account, key } = t.createCustomer({ credits: 1 });
    const gif = await postImage(t, key, { image: GIF });
    assert.equal(gif.statusCode, 415);
    assert.match(gif.json().detail, /gif/i);
    const text = await postImage(t, key, { image: Buffer.from('hello world') });
    assert.equal(text.statusCode, 400);
    const corrupt = await postImage(t, key, { image: CORRUPT_PNG });
    assert.equal(corrupt.statusCode, 400);
    assert.equal(t.deps.credits.balance(account.id), 1);
  });

  test('malformed multipart bodies are 4xx, never 500', async () => {
    const { key } = t.createCustomer();
    const png = await grayPng();
    const good = multipartBody([{ name: 'file', filename: 'a.png', data: png }], 'XyZ');
    const cases: { name: string; headers: Record<string, string>; payload: Buffer | string }[] = [
      {
        name: 'truncated',
        headers: good.headers,
        payload: good.payload.subarray(0, good.payload.length - 30),
      },
      {
        name: 'wrong boundary',
        headers: { 'content-type': 'multipart/form-data; boundary=nope' },
        payload: good.payload,
      },
      { name: 'no boundary', headers: { 'content-type': 'multipart/form-data' }, payload: good.payload },
      { name: 'json', headers: { 'content-type': 'application/json' }, payload: '{"file":"x"}' },
      { name: 'bad json', headers: { 'content-type': 'application/json' }, payload: '{' },
      { name: 'octet-stream', headers: { 'content-type': 'application/octet-stream' }, payload: png },
      { name: 'garbage headers', headers: good.headers, payload: '--XyZ\r\nnonsense\r\n\r\n--XyZ--' },
      { name: 'empty', headers: good.headers, payload: '' },
      { name: 'no content type', headers: {}, payload: good.payload },
      {
        name: 'two file fields',
        headers: good.headers,
        payload: multipartBody(
          [
            { name: 'file', filename: 'a.png', data: png },
            { name: 'file', filename: 'b.png', data: png },
          ],
          'XyZ',
        ).payload,
      },
      {
        name: 'a thousand part headers',
        headers: good.headers,
        payload: Buffer.concat([
          Buffer.from(`--XyZ\r\n${'X-Junk: 1\r\n'.repeat(1000)}`),
          good.payload.subarray('--XyZ\r\n'.length),
        ]),
      },
      {
        name: 'a 100 kB part header',
        headers: good.headers,
        payload: Buffer.concat([
          Buffer.from(`--XyZ\r\nX-Junk: ${'j'.repeat(100_000)}\r\n`),
          good.payload.subarray('--XyZ\r\n'.length),
        ]),
      },
    ];
    for (const c of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/services/image-segmentation?box=[1,1,5,5]',
        headers: { authorization: `Bearer ${key}`, ...c.headers },
        payload: c.payload,
      });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${c.name}: ${res.statusCode} ${res.body}`);
      assert.equal(typeof res.json().detail, 'string', c.name);
    }
  });

  test('503 with Retry-After when the inference queue is full; the credit is refunded', async () => {
    const busy = await createTestApp({
      engine: (c) => createStubEngine({ maxPixels: c.limits.maxPixels, delayMs: 300, queueSize: 0 }),
    });
    try {
      const { account, key } = busy.createCustomer({ credits: 5 });
      const [a, b] = await Promise.all([postImage(busy, key), postImage(busy, key)]);
      const statuses = [a.statusCode, b.statusCode].sort();
      assert.deepEqual(statuses, [200, 503]);
      const refused = a.statusCode === 503 ? a : b;
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(typeof refused.json().detail, 'string');
      assert.equal(busy.deps.credits.balance(account.id), 4);
    } finally {
      await busy.close();
    }
  });

  test('every response carries a request id; a sane incoming one is kept, junk replaced', async () => {
    const { key } = t.createCustomer();
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const fresh = await postImage(t, key);
    assert.match(fresh.headers['x-request-id'] as string, UUID);
    const mine = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-1234abcd' },
    });
    assert.equal(mine.headers['x-request-id'], 'trace-1234abcd');
    const junk = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'a b\u0001<script>' },
    });
    assert.match(junk.headers['x-request-id'] as string, UUID);
    const missing = await t.app.inject({ method: 'GET', url: '/nope' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['x-request-id'] as string, UUID);
  });
});
