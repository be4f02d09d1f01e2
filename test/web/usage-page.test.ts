/**
 * The usage side of /account: keys' "last used", the usage page's jobs, batches and mask links
 * (shown while the mask is kept, re-signed on every view), and batch ids in the ledger.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, grayPng, postBatch, postImage, type TestApp } from '../helpers/test-app.js';
import { TEST_SCRYPT, WebAgent } from './web-agent.js';

const HOUR = 3_600_000;

describe('usage page', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ overrides: { scrypt: TEST_SCRYPT } });
  });
  after(() => t.close());

  async function member(email: string, credits: number) {
    const a = new WebAgent(t.app);
    await a.signUp(email);
    const id = t.deps.accounts.getByEmail(email)?.id ?? '';
    t.deps.credits.grant(id, credits, 'test');
    return { a, id };
  }

  it("lists each key's creation and last use", async () => {
    const { a, id } = await member('lastused@example.com', 2);
    await a.get('/account');
    await a.post('/account/keys', { name: 'ci' });
    const secret = /value="(sk-live-[\w-]+)"/.exec((await a.get('/account')).body)?.[1] ?? '';
    const row = () => /<tr>\s*<td>ci<\/td>([\s\S]*?)<\/tr>/.exec(a.last?.body ?? '')?.[1] ?? '';
    await a.get('/account');
    assert.equal(row().match(/<time /g)?.length, 1, 'created only');
    t.clock.advance(HOUR);
    assert.equal((await postImage(t, secret)).statusCode, 200);
    await a.get('/account');
    const times = [...row().matchAll(/datetime="([^"]+)"/g)].map((m) => Date.parse(m[1]));
    assert.equal(times.length, 2, 'created and last used');
    assert.equal(times[1] - times[0], HOUR);
    assert.equal(t.deps.apiKeys.list(id)[0].prefix, /class="mono">(sk-live-[\w-]+)…/.exec(row())?.[1]);
  });

  it('shows jobs and batches, links masks while they are kept, and names batches in the ledger', async () => {
    const { a, id } = await member('usage@example.com', 10);
    const { key } = t.deps.apiKeys.create({ accountId: id, name: 'api' });
    const single = (await postImage(t, key, { filename: 'cat.png' })).json() as { job_id: string };
    const batch = (await postBatch(t, key, [await grayPng(), await grayPng(40, 30)])).json() as {
      batch_id: string;
      results: { job_id: string }[];
    };
    const page = (await a.get('/account/usage')).body;
    assert.match(page, /cat\.png/);
    assert.match(
      page,
      new RegExp(`data-batches[\\s\\S]*${batch.batch_id}[\\s\\S]*2 files: 2 completed, 0 failed`),
    );
    assert.match(page, /<title id="chart-title">[^<]*: 3 requests, 3 credits<\/title>/);
    const link = (jobId: string, body: string) =>
      new RegExp(`href="(http://maskd\\.test/v1/files/${jobId}\\?[^"]+)"`)
        .exec(body)?.[1]
        ?.replaceAll('&amp;', '&');
    const first = link(single.job_id, page);
    assert.ok(first, 'mask link for the single job');
    const mask = await t.app.inject({ url: first.replace('http://maskd.test', '') });
    assert.equal(mask.statusCode, 200);
    assert.equal(mask.headers['content-type'], 'image/png');

    // Past the signed URL's lifetime (1 h) the old link fails, but the page signs a fresh one.
    t.clock.advance(2 * HOUR);
    assert.equal((await t.app.inject({ url: first.replace('http://maskd.test', '') })).statusCode, 403);
    const again = link(single.job_id, (await a.get('/account/usage')).body);
    assert.ok(again && again !== first);
    assert.equal((await t.app.inject({ url: again.replace('http://maskd.test', '') })).statusCode, 200);

    const ledger = (await a.get('/account/credits')).body;
    assert.match(
      ledger,
      new RegExp(`${batch.results[0].job_id}<br><span class="muted">batch ${batch.batch_id}`),
    );
    // The lookup behind it answers only for the asking account's own jobs.
    const jobIds = batch.results.map((r) => r.job_id);
    assert.equal(t.deps.web.usage.batchIdsOf(id, jobIds).size, 2);
    const stranger = t.createCustomer({ credits: 0 }).account.id;
    assert.equal(t.deps.web.usage.batchIdsOf(stranger, jobIds).size, 0);

    // Once the retention period has passed the masks are deleted, and so are the links.
    t.clock.advance(25 * HOUR);
    assert.ok((await t.deps.sweeper.sweep()) >= 3);
    const swept = (await a.get('/account/usage')).body;
    assert.equal(link(single.job_id, swept), undefined);
    assert.match(swept, /cat\.png/, 'the job itself is still listed');
  });
});
