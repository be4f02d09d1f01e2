/**
 * `Idempotency-Key` on both POST endpoints, through the real app: a retry returns the first
 * request's job or batch and is never charged twice; concurrent duplicates do not both run; a
 * key reused for another request is a 422; keys are per account, freed by a failed request and
 * forgotten after their TTL.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../src/deps.js';
import { gatedEngine } from '../helpers/gated-engine.js';
import {
  CORRUPT_PNG,
  createTestApp,
  grayPng,
  multipartBody,
  postBatch,
  postImage,
  type TestApp,
} from '../helpers/test-app.js';

const TTL_SECONDS = 600;
const idem = (key: string) => ({ 'idempotency-key': key });

describe('Idempotency-Key', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      env: { MASKD_IDEMPOTENCY_TTL_SECONDS: String(TTL_SECONDS), MASKD_RATE_LIMIT_SINGLE: '1000' },
    });
  });
  after(() => t.close());

  const debits = (accountId: string) =>
    t.deps.credits.ledger(accountId, { limit: 100 }).filter((e) => e.kind === 'debit');
  const jobsOf = (accountId: string) => t.deps.jobs.listJobs(accountId, { limit: 100, offset: 0 });

  test('a retry returns the same job, unread and uncharged, even with no credits left', async () => {
    const { account, key } = t.createCustomer({ credits: 1 });
    const first = await postImage(t, key, { headers: idem('order-42') });
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    t.clock.advance(1000);
    // A corrupt file proves the retry's upload is never read; a zero balance, that it is not charged.
    const retry = await postImage(t, key, { headers: idem('order-42'), image: CORRUPT_PNG });
    assert.equal(retry.statusCode, 200, retry.body);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    const [a, b] = [first.json(), retry.json()];
    assert.equal(b.job_id, a.job_id);
    assert.deepEqual(
      { ...b, result: { ...b.result, output_url: null } },
      { ...a, result: { ...a.result, output_url: null } },
    );
    assert.notEqual(b.result.output_url, a.result.output_url, 'signed afresh');
    assert.equal(t.deps.credits.balance(account.id), 0);
    assert.deepEqual(
      debits(account.id).map((e) => e.jobId),
      [a.job_id],
    );
    assert.equal(jobsOf(account.id).length, 1);
  });

  test('async: the retry answers 202 while the job is unfinished, 200 once it is, whatever `async` says', async () => {
    const gated = gatedEngine(50_000_000);
    const g = await createTestApp({ engine: () => gated.engine });
    try {
      const { account, key } = g.createCustomer({ credits: 5 });
      const first = await postImage(g, key, { query: 'box=[1,1,30,30]&async=true', headers: idem('a-1') });
      assert.equal(first.statusCode, 202);
      await gated.started;
      const whileRunning = await postImage(g, key, { query: 'box=[1,1,30,30]', headers: idem('a-1') });
      assert.equal(whileRunning.statusCode, 202);
      assert.equal(whileRunning.headers['idempotent-replayed'], 'true');
      assert.equal(whileRunning.json().job_id, first.json().job_id);
      assert.equal(whileRunning.json().status, 'processing');
      gated.open();
      let done = whileRunning;
      for (let i = 0; i < 500 && done.json().status !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 10));
        done = await postImage(g, key, { query: 'box=[1,1,30,30]&async=true', headers: idem('a-1') });
      }
      assert.equal(done.statusCode, 200);
      assert.equal(done.json().job_id, first.json().job_id);
      assert.equal(done.json().result.credits_used, 1);
      assert.equal(g.deps.credits.balance(account.id), 4);
    } finally {
      gated.open();
      await g.close();
    }
  });

  test('a duplicate while the first is in the engine gets that job (202), not a second run', async () => {
    const gated = gatedEngine(50_000_000);
    const g = await createTestApp({ engine: () => gated.engine });
    try {
      const { account, key } = g.createCustomer({ credits: 5 });
      const first = postImage(g, key, { headers: idem('sync-1') });
      await gated.started;
      const dup = await postImage(g, key, { headers: idem('sync-1') });
      assert.equal(dup.statusCode, 202);
      assert.equal(dup.json().status, 'processing');
      gated.open();
      const original = await first;
      assert.equal(original.statusCode, 200);
      assert.equal(dup.json().job_id, original.json().job_id);
      assert.equal(g.deps.credits.balance(account.id), 4);
    } finally {
      gated.open();
      await g.close();
    }
  });

  test('a duplicate while the first is still uploading → 409 with Retry-After; then the retry replays', async () => {
    const { account, key } = t.createCustomer({ credits: 5 });
    const form = multipartBody([{ name: 'file', filename: 'a.png', data: await grayPng() }]);
    let finishUpload!: () => void;
    const uploadHeld = new Promise<void>((r) => {
      finishUpload = r;
    });
    // The first request's body stops halfway until the test lets the rest through.
    const slowBody = Readable.from(
      (async function* () {
        yield form.payload.subarray(0, 100);
        await uploadHeld;
        yield form.payload.subarray(100);
      })(),
    );
    const first = t.app.inject({
      method: 'POST',
      url: '/v1/services/image-segmentation?box=[1,1,30,30]',
      headers: { authorization: `Bearer ${key}`, ...form.headers, ...idem('slow-1') },
      payload: slowBody,
    });
    try {
      const claimed = t.deps.db.prepare(
        "SELECT job_id FROM idempotency_keys WHERE account_id = ? AND key = 'slow-1'",
      );
      for (let i = 0; i < 200 && claimed.get(account.id) === undefined; i++) {
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.deepEqual(claimed.get(account.id), { job_id: null }, 'claimed, no job yet');
      const dup = await postImage(t, key, { headers: idem('slow-1') });
      assert.equal(dup.statusCode, 409, dup.body);
      assert.deepEqual(dup.json(), {
        detail: 'A request with this Idempotency-Key is still in progress; retry shortly',
      });
      assert.equal(dup.headers['retry-after'], '1');
    } finally {
      finishUpload();
    }
    const original = await first;
    assert.equal(original.statusCode, 200, original.body);
    const retry = await postImage(t, key, { headers: idem('slow-1') });
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.json().job_id, original.json().job_id);
    assert.equal(debits(account.id).filter((e) => e.jobId === original.json().job_id).length, 1);
  });

  test('50 concurrent requests with one key: one job, one debit; the rest replay it or get 409', async () => {
    const { account, key } = t.createCustomer({ credits: 100 });
    const image = await grayPng(16, 16);
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        postImage(t, key, { image, query: 'box=[1,1,8,8]', headers: idem('burst') }),
      ),
    );
    const jobs = jobsOf(account.id);
    assert.equal(jobs.length, 1);
    assert.equal(debits(account.id).length, 1);
    assert.equal(t.deps.credits.balance(account.id), 99);
    const originals = responses.filter((r) => r.statusCode === 200 && !r.headers['idempotent-replayed']);
    assert.equal(originals.length, 1);
    for (const r of responses) {
      assert.ok([200, 202, 409].includes(r.statusCode), `${r.statusCode} ${r.body}`);
      if (r.statusCode !== 409) assert.equal(r.json().job_id, jobs[0]?.id);
    }
  });

  test('the same key with other prompts or the other endpoint → 422 on the header; nothing charged', async () => {
    const { account, key } = t.createCustomer({ credits: 5 });
    assert.equal(
      (await postImage(t, key, { query: 'points=[[10,10]]', headers: idem('k') })).statusCode,
      200,
    );
    // Defaults are compared after parsing: labels=[1] is what the first request meant.
    const same = await postImage(t, key, { query: 'points=[[10,10]]&labels=[1]', headers: idem('k') });
    assert.equal(same.statusCode, 200);
    assert.equal(same.headers['idempotent-replayed'], 'true');
    const otherPrompts = await postImage(t, key, { query: 'points=[[11,10]]', headers: idem('k') });
    assert.equal(otherPrompts.statusCode, 422);
    assert.deepEqual(otherPrompts.json(), {
      detail: [
        {
          loc: ['header', 'idempotency-key'],
          msg: 'This Idempotency-Key was already used with other prompts; use a new Idempotency-Key for a different request',
          type: 'value_error',
        },
      ],
    });
    const otherEndpoint = await postBatch(t, key, [await grayPng()], 'points=[[10,10]]', idem('k'));
    assert.equal(otherEndpoint.statusCode, 422);
    assert.deepEqual(otherEndpoint.json().detail[0].loc, ['header', 'idempotency-key']);
    assert.match(otherEndpoint.json().detail[0].msg, /already used for a single image/);
    assert.equal(t.deps.credits.balance(account.id), 4);
  });

  test("keys are per account: another account's identical key is a request of its own", async () => {
    const a = t.createCustomer({ credits: 1 });
    const b = t.createCustomer({ credits: 1 });
    const ja = (await postImage(t, a.key, { headers: idem('shared') })).json();
    const res = await postImage(t, b.key, { headers: idem('shared') });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['idempotent-replayed'], undefined);
    assert.notEqual(res.json().job_id, ja.job_id);
    assert.deepEqual([t.deps.credits.balance(a.account.id), t.deps.credits.balance(b.account.id)], [0, 0]);
    // A's job is still A's alone.
    const peek = await t.app.inject({
      url: `/v1/jobs/${ja.job_id}`,
      headers: { authorization: `Bearer ${b.key}` },
    });
    assert.equal(peek.statusCode, 404);
  });

  test('a request that fails frees its key: the retry with the same key is processed', async () => {
    const { account, key } = t.createCustomer({ credits: 0 });
    assert.equal((await postImage(t, key, { headers: idem('retry-me') })).statusCode, 402);
    t.deps.credits.grant(account.id, 2, 'test');
    assert.equal(
      (await postImage(t, key, { headers: idem('retry-me'), image: CORRUPT_PNG })).statusCode,
      400,
    );
    const ok = await postImage(t, key, { headers: idem('retry-me') });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['idempotent-replayed'], undefined);
    assert.equal(t.deps.credits.balance(account.id), 1);
  });

  test('an engine failure after the job was created (500, refunded) frees the key too', async () => {
    const { account, key } = t.createCustomer({ credits: 1 });
    const original = t.deps.engine.segment;
    t.deps.engine.segment = async () => {
      throw new Error('engine crashed');
    };
    try {
      assert.equal((await postImage(t, key, { headers: idem('crash') })).statusCode, 500);
    } finally {
      t.deps.engine.segment = original;
    }
    const ok = await postImage(t, key, { headers: idem('crash') });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['idempotent-replayed'], undefined);
    assert.equal(t.deps.credits.balance(account.id), 0);
    const kinds = t.deps.credits.ledger(account.id, { limit: 10 }).map((e) => e.kind);
    assert.deepEqual(kinds, ['debit', 'refund', 'debit', 'grant']);
  });

  test('batch: a retry returns the same batch and charges nothing more', async () => {
    const { account, key } = t.createCustomer({ credits: 5 });
    const png = await grayPng();
    const first = await postBatch(t, key, [png, png], 'box=[1,1,30,30]', idem('batch-1'));
    assert.equal(first.statusCode, 200);
    const retry = await postBatch(t, key, [png, png, png], 'box=[1,1,30,30]', idem('batch-1'));
    assert.equal(retry.statusCode, 200);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(retry.json().batch_id, first.json().batch_id);
    assert.equal(retry.json().total_files, 2);
    assert.equal(t.deps.credits.balance(account.id), 3);
    const single = await postImage(t, key, { query: 'box=[1,1,30,30]', headers: idem('batch-1') });
    assert.equal(single.statusCode, 422);
    assert.match(single.json().detail[0].msg, /already used for a batch/);
  });

  test('malformed keys → 422 on the header, before anything is read or charged', async () => {
    const { account, key } = t.createCustomer({ credits: 1 });
    for (const bad of ['', 'k'.repeat(256), 'clé', 'tab\there']) {
      const res = await postImage(t, key, { headers: idem(bad) });
      assert.equal(res.statusCode, 422, JSON.stringify(bad));
      assert.deepEqual(res.json().detail[0].loc, ['header', 'idempotency-key'], JSON.stringify(bad));
    }
    assert.equal(t.deps.credits.balance(account.id), 1);
    const longest = await postImage(t, key, { headers: idem(`~ ${'k'.repeat(253)}`) });
    assert.equal(longest.statusCode, 200, longest.body);
  });

  test('after the TTL a key is new again, and the sweeper forgets it', async () => {
    const { account, key } = t.createCustomer({ credits: 3 });
    const rows = () =>
      (
        t.deps.db
          .prepare('SELECT count(*) AS n FROM idempotency_keys WHERE account_id = ?')
          .get(account.id) as {
          n: number;
        }
      ).n;
    const first = (await postImage(t, key, { headers: idem('daily') })).json();
    t.clock.advance(TTL_SECONDS * 1000 - 1);
    await t.deps.sweeper.sweep();
    assert.equal(rows(), 1);
    assert.equal((await postImage(t, key, { headers: idem('daily') })).json().job_id, first.job_id);
    t.clock.advance(1);
    const later = await postImage(t, key, { headers: idem('daily') });
    assert.equal(later.statusCode, 200);
    assert.equal(later.headers['idempotent-replayed'], undefined);
    assert.notEqual(later.json().job_id, first.job_id);
    t.clock.advance(TTL_SECONDS * 1000);
    await t.deps.sweeper.sweep();
    assert.equal(rows(), 0);
    assert.equal(t.deps.credits.balance(account.id), 1);
  });
});

test('a claim a dead process left unbound is released at start, not a 409 forever', async () => {
  const first = await createTestApp();
  const { account, key } = first.createCustomer({ credits: 1 });
  await first.close({ keepData: true });
  // What a process killed while reading an upload leaves behind: a claim with no job.
  const db = new Database(`${first.dataDir}/${DATABASE_FILE}`);
  db.prepare(
    `INSERT INTO idempotency_keys (account_id, key, claim_id, endpoint, request, created_at)
     VALUES (?, 'orphan', 'dead-process', 'single', '{}', ?)`,
  ).run(account.id, first.clock.now());
  db.close();
  const second = await createTestApp({ dataDir: first.dataDir, clock: first.clock });
  try {
    const res = await postImage(second, key, { headers: idem('orphan') });
    assert.equal(res.statusCode, 200, res.body);
  } finally {
    await second.close();
  }
});
