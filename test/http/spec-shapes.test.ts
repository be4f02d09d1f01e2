/**
 * The JSON shapes against the spec document itself (../shared/spec), not a copy of it: the
 * examples are cut out of the text and compared with live answers key by key, in order, with
 * the type of every value. The spec pretty-prints its examples; the wire is compact JSON.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { SPEC_FILE } from '../helpers/shared-files.js';
import { createTestApp, grayPng, postBatch, postImage, type TestApp } from '../helpers/test-app.js';

/** The text between the first `start` marker and the next `end` marker after it. */
function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  assert.ok(from >= 0, `spec has no "${start}"`);
  const to = text.indexOf(end, from + start.length);
  assert.ok(to >= 0, `spec has no "${end}" after "${start}"`);
  return text.slice(from + start.length, to);
}

/** `{…}` from the first brace to its matching close. */
function firstObject(text: string): string {
  const from = text.indexOf('{');
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(from, i + 1);
  }
  throw new Error('unbalanced braces');
}

type Shape = string | { [key: string]: Shape } | Shape[];

/** Key order and value kinds; numbers are `number` whether the example shows 1 or 850.2. */
function shape(v: unknown): Shape {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}
const keysInOrder = (o: object) => JSON.stringify(Object.keys(o));

describe('JSON shapes against the spec document', { skip: !existsSync(SPEC_FILE) }, () => {
  let t: TestApp;
  let spec: string;
  before(async () => {
    t = await createTestApp();
    spec = readFileSync(SPEC_FILE, 'utf8');
  });
  after(() => t?.close());

  test("200: the job object has the example's keys, in its order, with its value types", async () => {
    const example = JSON.parse(firstObject(between(spec, '200 OK', 'Response Fields')));
    const { key } = t.createCustomer();
    const res = await postImage(t, key, { filename: 'photo.jpg' });
    assert.equal(res.statusCode, 200);
    const live = res.json();
    assert.equal(keysInOrder(live), keysInOrder(example));
    assert.equal(keysInOrder(live.result), keysInOrder(example.result));
    assert.deepEqual(shape(live), shape(example));
    // Compact on the wire, and the key order is the serializer's, not an accident of JSON.parse.
    assert.ok(res.body.startsWith('{"job_id":"'), res.body);
    assert.match(res.body, /"credits_used":1\},"error":null\}$/);
  });

  test("batch: the example's top-level keys in order; each result is a job result", async () => {
    const block = between(spec, 'Batch Response', 'Partial Failures');
    // The example elides result fields with "...", so it is not JSON: read its keys instead.
    const topLevel = [
      ...block.replace(/"results": \[[\s\S]*?\],/, '"results": [],').matchAll(/"(\w+)":/g),
    ].map((m) => m[1]);
    const { key } = t.createCustomer();
    const res = await postBatch(t, key, [await grayPng(), await grayPng()]);
    assert.equal(res.statusCode, 200);
    const live = res.json();
    assert.deepEqual(Object.keys(live), topLevel);
    const resultExample = JSON.parse(firstObject(between(spec, '200 OK', 'Response Fields'))).result;
    for (const r of live.results) assert.equal(keysInOrder(r), keysInOrder(resultExample));
    // The example's result rows start job_id, status, output_url: a prefix of a job result's keys
    // once input_filename is set aside, as the spec's "..." implies.
    const shown = [...block.matchAll(/\{ "job_id"[^}]*\}/g)][0]?.[0] ?? '';
    const rowKeys = [...shown.matchAll(/"(\w+)":/g)].map((m) => m[1]);
    assert.deepEqual(rowKeys, ['job_id', 'status', 'output_url']);
    for (const k of rowKeys) assert.ok(k && k in live.results[0]);
    assert.equal(typeof live.total_processing_time_ms, 'number');
    assert.equal(typeof live.total_credits_used, 'number');
  });

  test("402: exactly the spec's body", async () => {
    const example = JSON.parse(firstObject(between(spec, '402Insufficient Credits', 'Not enough credits')));
    const { key } = t.createCustomer({ credits: 0 });
    const res = await postImage(t, key);
    assert.equal(res.statusCode, 402);
    assert.deepEqual(res.json(), example);
    assert.equal(res.body, JSON.stringify(example));
  });

  test("422: the spec's structure, loc and type (the message is ours to word)", async () => {
    const example = JSON.parse(firstObject(between(spec, '422Validation Error', 'Batch Processing')));
    const { key } = t.createCustomer();
    const res = await postImage(t, key, { query: 'points=[[100,200' });
    assert.equal(res.statusCode, 422);
    const live = res.json();
    assert.deepEqual(shape(live), shape(example));
    assert.equal(keysInOrder(live.detail[0]), keysInOrder(example.detail[0]));
    assert.deepEqual(live.detail[0].loc, example.detail[0].loc);
    assert.equal(live.detail[0].type, example.detail[0].type);
    assert.equal(live.detail[0].msg, example.detail[0].msg); // "invalid JSON array", as in the spec
  });

  test('400, 401, 413: FastAPI\'s {"detail": "…"} with nothing else', async () => {
    const { key } = t.createCustomer();
    const small = await createTestApp({ env: { MASKD_MAX_UPLOAD_BYTES: '100' } });
    try {
      const big = small.createCustomer();
      const answers = [
        await postImage(t, key, { query: '' }),
        await postImage(t, null),
        await postImage(small, big.key, { image: Buffer.alloc(5000, 1) }),
      ];
      assert.deepEqual(
        answers.map((r) => r.statusCode),
        [400, 401, 413],
      );
      for (const res of answers) {
        assert.deepEqual(Object.keys(res.json()), ['detail']);
        assert.equal(typeof res.json().detail, 'string');
      }
    } finally {
      await small.close();
    }
  });
});
