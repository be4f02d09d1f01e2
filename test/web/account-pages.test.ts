import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_PENDING_PER_ACCOUNT } from '../../src/web/top-up/manual-top-up-provider.js';
import { createTestApp, grayPng, multipartBody, postImage, type TestApp } from '../helpers/test-app.js';
import { TEST_SCRYPT, WebAgent } from './web-agent.js';

const HOSTILE = `<img src=x onerror="alert(1)">'"&`;

describe('account pages', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ overrides: { scrypt: TEST_SCRYPT } });
  });
  after(() => t.close());

  async function member(email: string, credits = 0): Promise<{ a: WebAgent; id: string }> {
    const a = new WebAgent(t.app);
    await a.signUp(email);
    const id = t.deps.accounts.getByEmail(email)?.id ?? '';
    if (credits > 0) t.deps.credits.grant(id, credits, 'test');
    await a.get('/account');
    return { a, id };
  }

  it('redirects signed-out visitors to sign-in', async () => {
    for (const url of ['/account', '/account/credits', '/account/usage', '/playground']) {
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 303, url);
      assert.match(res.headers.location as string, /^\/account\/sign-in\?next=/);
    }
  });

  it('creates a key, shows its secret once, and revokes it', async () => {
    const { a, id } = await member('keys@example.com');
    const created = await a.post('/account/keys', { name: 'ci' });
    assert.equal(created.statusCode, 303);
    const shown = await a.get('/account');
    const secret = /value="(sk-live-[\w-]+)"/.exec(shown.body)?.[1];
    assert.ok(secret, 'secret on the page after creation');
    assert.equal(t.deps.apiKeys.authenticate(secret)?.account.id, id, 'and it works against the API');
    const again = await a.get('/account');
    assert.ok(!again.body.includes(secret), 'gone on reload');
    const keyId = t.deps.apiKeys.list(id)[0].id;
    assert.match(again.body, new RegExp(t.deps.apiKeys.list(id)[0].prefix));
    const revoked = await a.post(`/account/keys/${keyId}/revoke`);
    assert.equal(revoked.statusCode, 303);
    assert.equal(t.deps.apiKeys.authenticate(secret), null);
    assert.match((await a.get('/account?notice=key-revoked')).body, /Key revoked/);
  });

  it("cannot see or revoke another account's keys, jobs or ledger", async () => {
    const owner = await member('owner@example.com', 5);
    const other = await member('other@example.com');
    await owner.a.post('/account/keys', { name: 'owner-key' });
    await owner.a.get('/account');
    const ownerKey = t.deps.apiKeys.list(owner.id)[0];
    const { key } = t.deps.apiKeys.create({ accountId: owner.id, name: 'api' });
    const job = await postImage(t, key);
    assert.equal(job.statusCode, 200);
    const jobId = job.json().job_id as string;

    assert.equal((await other.a.post(`/account/keys/${ownerKey.id}/revoke`)).statusCode, 404);
    assert.equal(t.deps.apiKeys.list(owner.id).filter((k) => k.revokedAt === null).length, 2);
    for (const url of ['/account', '/account/credits', '/account/usage']) {
      const body = (await other.a.get(url)).body;
      assert.ok(!body.includes('owner-key') && !body.includes(ownerKey.prefix) && !body.includes(jobId), url);
    }
    // …while the owner sees the job and its debit.
    assert.match((await owner.a.get('/account/usage')).body, new RegExp(jobId));
    const ledger = (await owner.a.get('/account/credits')).body;
    assert.match(ledger, new RegExp(jobId));
    assert.match(ledger, /−1/);
  });

  it('escapes a hostile email and key name everywhere they appear', async () => {
    // The account service accepts any address-shaped string; make the local part hostile.
    const email = `a<b>"'x@example.com`;
    const { a, id } = await member(email);
    await a.post('/account/keys', { name: HOSTILE });
    const page = (await a.get('/account')).body;
    assert.ok(!page.includes(HOSTILE) && !page.includes('<img src=x'), 'key name escaped');
    assert.ok(page.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&quot;&amp;'));
    assert.ok(!page.includes('a<b>'), 'email escaped');
    t.deps.accounts.setAdmin(id, true);
    const admin = (await a.get('/account/admin')).body;
    assert.ok(!admin.includes('a<b>') && admin.includes('a&lt;b&gt;&quot;&#39;x@example.com'));
  });

  it('pages the ledger, newest first', async () => {
    const { a, id } = await member('ledger@example.com');
    for (let i = 1; i <= 30; i++) t.deps.credits.grant(id, i, `grant ${i}`);
    const first = (await a.get('/account/credits')).body;
    assert.match(first, /grant 30/);
    assert.doesNotMatch(first, /grant 5</);
    const older = /href="(\/account\/credits\?before=\d+)"/.exec(first)?.[1];
    assert.ok(older);
    const second = (await a.get(older)).body;
    assert.match(second, /grant 5</);
    assert.doesNotMatch(second, /grant 30/);
    assert.match(first, /data-balance>465</);
  });

  it('requests a top-up that an admin approves through the ledger', async () => {
    const user = await member('topup@example.com');
    const res = await user.a.post('/account/top-up', { credits: '250' });
    assert.equal(res.headers.location, '/account/credits?notice=top-up-requested');
    assert.equal(
      (await user.a.post('/account/top-up', { credits: '-3' })).headers.location,
      '/account/credits?notice=top-up-invalid',
    );
    assert.equal(t.deps.credits.balance(user.id), 0, 'nothing granted while pending');
    const page = (await user.a.get('/account/credits')).body;
    assert.match(page, /250 credits,\s*<span class="status status-pending">pending/);

    const admin = await member('admin@example.com');
    t.deps.accounts.setAdmin(admin.id, true);
    const queue = (await admin.a.get('/account/admin')).body;
    const approve = /action="(\/account\/admin\/top-ups\/[\w-]+\/approve)"/.exec(queue)?.[1];
    assert.ok(approve);
    assert.equal((await admin.a.post(approve)).headers.location, '/account/admin?notice=approved');
    assert.equal((await admin.a.post(approve)).headers.location, '/account/admin?notice=already-decided');
    assert.equal(t.deps.credits.balance(user.id), 250, 'granted exactly once');
    const entry = t.deps.credits.ledger(user.id, { limit: 1 })[0];
    assert.equal(entry.kind, 'grant');
    assert.match(entry.note ?? '', /^top-up /);
  });

  it('lets an admin reject a top-up, and caps how many one account can have waiting', async () => {
    const user = await member('eager@example.com');
    for (let i = 0; i < MAX_PENDING_PER_ACCOUNT; i++) {
      const res = await user.a.post('/account/top-up', { credits: '10' });
      assert.equal(res.headers.location, '/account/credits?notice=top-up-requested');
    }
    const over = await user.a.post('/account/top-up', { credits: '10' });
    assert.equal(over.headers.location, '/account/credits?notice=top-up-limit');
    assert.match((await user.a.get(over.headers.location as string)).body, /several top-ups waiting/);

    const admin = await member('rejecter@example.com');
    t.deps.accounts.setAdmin(admin.id, true);
    const queue = (await admin.a.get('/account/admin')).body;
    assert.match(queue, /eager@example\.com/, 'the queue names the requester');
    const reject = /action="(\/account\/admin\/top-ups\/[\w-]+\/reject)"/.exec(queue)?.[1];
    assert.ok(reject);
    assert.equal((await admin.a.post(reject)).headers.location, '/account/admin?notice=rejected');
    const id = reject.split('/')[4];
    assert.equal(t.deps.web.topUpRequests.get(id)?.status, 'rejected');
    assert.equal(t.deps.web.topUpRequests.get(id)?.decidedBy, admin.id);
    assert.equal(t.deps.credits.balance(user.id), 0, 'nothing granted');
    assert.equal(
      (await admin.a.post(reject.replace('/reject', '/approve'))).headers.location,
      '/account/admin?notice=already-decided',
      'a rejected request cannot be approved afterwards',
    );
    assert.equal(t.deps.credits.balance(user.id), 0);
    // One slot is free again.
    assert.equal(
      (await user.a.post('/account/top-up', { credits: '10' })).headers.location,
      '/account/credits?notice=top-up-requested',
    );
  });

  it('lets admins grant credits and disable accounts', async () => {
    const admin = await member('boss@example.com');
    t.deps.accounts.setAdmin(admin.id, true);
    const target = await member('target@example.com');
    await admin.a.get('/account/admin');
    assert.equal(
      (await admin.a.post(`/account/admin/accounts/${target.id}/grant`, { credits: '7' })).statusCode,
      303,
    );
    assert.equal(t.deps.credits.balance(target.id), 7);
    const { key } = t.deps.apiKeys.create({ accountId: target.id, name: 'script' });
    assert.equal((await postImage(t, key)).statusCode, 200);
    await admin.a.post(`/account/admin/accounts/${target.id}/disable`);
    assert.notEqual(t.deps.accounts.get(target.id)?.disabledAt, null);
    assert.equal((await target.a.get('/account')).statusCode, 303, 'signed out');
    const refused = await postImage(t, key);
    assert.equal(refused.statusCode, 403, "a disabled account's API keys stop working");
    assert.equal(t.deps.credits.balance(target.id), 6, 'and nothing is charged');
    assert.match((await admin.a.get('/account/admin')).body, /status-disabled/);
    await admin.a.post(`/account/admin/accounts/${target.id}/enable`);
    assert.equal((await postImage(t, key)).statusCode, 200, 'enabled again');
    assert.equal((await target.a.get('/account')).statusCode, 303, 'its old sessions were ended, not paused');
    assert.equal((await admin.a.post(`/account/admin/accounts/${admin.id}/disable`)).statusCode, 403);
  });

  it('answers 404 to non-admins on every admin route', async () => {
    const { a, id } = await member('plain@example.com');
    assert.equal((await a.get('/account/admin')).statusCode, 404);
    assert.doesNotMatch((await a.get('/account')).body, /href="\/account\/admin"/);
    const victim = await member('victim@example.com');
    t.deps.accounts.setDisabled(victim.id, true);
    const posts = [
      `accounts/${id}/grant`,
      `accounts/${victim.id}/enable`,
      `accounts/${victim.id}/disable`,
      'top-ups/x/approve',
      'top-ups/x/reject',
    ];
    for (const path of posts) {
      const res = await a.post(`/account/admin/${path}`, { credits: '1000' });
      assert.equal(res.statusCode, 404, path);
    }
    assert.equal(t.deps.credits.balance(id), 0);
    assert.notEqual(t.deps.accounts.get(victim.id)?.disabledAt, null, 'still disabled');

    // The flag is read on every request: an admin demoted mid-session is out at once.
    t.deps.accounts.setAdmin(id, true);
    assert.equal((await a.get('/account/admin')).statusCode, 200);
    t.deps.accounts.setAdmin(id, false);
    assert.equal((await a.get('/account/admin')).statusCode, 404);
    assert.equal((await a.post(`/account/admin/accounts/${id}/grant`, { credits: '5' })).statusCode, 404);
    assert.equal(t.deps.credits.balance(id), 0);
  });

  it('lets the API accept the session cookie with the CSRF header (the playground)', async () => {
    const { a, id } = await member('playground@example.com', 3);
    const page = await a.get('/playground');
    assert.equal(page.statusCode, 200);
    const token = /data-csrf="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const form = multipartBody([
      { name: 'file', filename: 'p.png', contentType: 'image/png', data: await grayPng() },
    ]);
    const call = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/services/image-segmentation?points=[[10,10]]&labels=[1]',
        headers: { ...form.headers, ...headers },
        payload: form.payload,
      });
    const cookie = `maskd_session=${a.cookies.get('maskd_session')}`;
    assert.equal((await call({ cookie, 'x-csrf-token': token })).statusCode, 200);
    assert.equal((await call({ cookie })).statusCode, 403, 'cookie without the CSRF header');
    assert.equal((await call({ cookie, 'x-csrf-token': 'nope' })).statusCode, 403);
    assert.equal((await call({})).statusCode, 401);
    assert.equal(t.deps.credits.balance(id), 2);
  });

  it('serves the stylesheet and client scripts with revalidation', async () => {
    const css = await t.app.inject({ url: '/static/maskd.css' });
    assert.equal(css.statusCode, 200);
    assert.match(css.headers['content-type'] as string, /^text\/css/);
    const js = await t.app.inject({ url: '/static/playground.js' });
    assert.match(js.headers['content-type'] as string, /^text\/javascript/);
    const again = await t.app.inject({
      url: '/static/maskd.css',
      headers: { 'if-none-match': css.headers.etag as string },
    });
    assert.equal(again.statusCode, 304);
    assert.equal((await t.app.inject({ url: '/static/..%2Fpackage.json' })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/static/nope.js' })).statusCode, 404);
  });
});
