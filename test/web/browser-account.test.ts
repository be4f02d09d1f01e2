/**
 * Account settings in a real Chromium (Debian's, headless) against a listening server: sign-up,
 * keys shown once, top-up and admin, and the security properties a browser enforces (cookie
 * flags, CSRF, isolation between accounts). The stub engine is enough here: the real model's
 * masks are browser-playground.test.ts's business. Screenshots go to test-artifacts/, and the
 * README's account page to docs/.
 *
 * The tests run in order and share one signed-in page (ada); later ones build on earlier state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { grayPng } from '../helpers/test-app.js';
import { type BrowserFixture, foreignUrls, startBrowserFixture, TEST_PASSWORD } from './browser-fixture.js';
import { CHROMIUM_SKIP, type PageGlobals } from './browser-helpers.js';
import { startBrowserServer } from './browser-server.js';

// Without Chromium: one skipped test carrying the reason, so the runner's summary counts it.
if (CHROMIUM_SKIP) it('account pages in Chromium', { skip: CHROMIUM_SKIP }, () => {});
else
  describe('account pages in Chromium', { timeout: 90_000 }, () => {
    let f: BrowserFixture;
    let context: BrowserContext;
    let page: Page;
    let adaId: string;
    let keptKey: string;
    let url: string;

    before(async () => {
      f = await startBrowserFixture({ engine: 'stub' });
      url = f.server.url;
      context = await f.newContext();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
      page = await context.newPage();
    });
    after(() => f?.close());

    it('signs up with HttpOnly, SameSite=Lax cookies, creates a key shown once, and revokes it', async () => {
      const { deps } = f.server;
      await page.goto(`${url}/account/sign-up`);
      await f.shot(page, 'sign-up');
      adaId = await f.signUp(page, 'ada@example.com');
      deps.credits.grant(adaId, 100, 'Welcome credits');
      const cookies = await context.cookies(url);
      const session = cookies.find((c) => c.name === 'maskd_session');
      assert.ok(session, 'session cookie set');
      assert.deepEqual(
        { httpOnly: session.httpOnly, sameSite: session.sameSite, secure: session.secure },
        { httpOnly: true, sameSite: 'Lax', secure: false },
        'plain http: no Secure flag, which the browser would otherwise drop',
      );
      const scriptCookies = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie);
      assert.doesNotMatch(scriptCookies, /maskd_session/, 'page scripts cannot read the session');

      await page.fill('input[name=name]', 'laptop');
      await page.click('button:has-text("Create key")');
      await page.waitForURL(`${url}/account`);
      const secret = await page.inputValue('#new-key-secret');
      assert.match(secret, /^sk-live-[\w-]{43}$/);
      // Before the copy click, whose "Copied" label lasts only 1.5 s: the README's image is stable.
      await f.shot(page, 'account-key-created', { fullPage: true, docs: 'account' });
      await page.click('button[data-copy=new-key-secret]');
      await page.waitForSelector('button[data-copy=new-key-secret]:has-text("Copied")');
      const copied = await page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      );
      assert.equal(copied, secret, 'the copy button put the secret on the clipboard');

      await page.reload();
      assert.equal(await page.locator('#new-key-secret').count(), 0, 'secret gone after reload');
      assert.ok(!(await page.content()).includes(secret));
      const row = page.locator('table[data-keys] tbody tr');
      assert.equal(await row.count(), 1);
      const prefix = deps.apiKeys.list(adaId)[0].prefix;
      assert.match((await row.textContent()) ?? '', new RegExp(`laptop\\s*${prefix}…`));
      await page.click('table[data-keys] button:has-text("Revoke")');
      await page.waitForSelector('text=Key revoked');
      assert.equal(deps.apiKeys.authenticate(secret), null);
      assert.match((await row.textContent()) ?? '', /revoked/);

      // A key that stays, for the isolation test; a job made with it fills in "last used".
      keptKey = deps.apiKeys.create({ accountId: adaId, name: 'server' }).key;
      const form = new FormData();
      form.append('file', new Blob([await grayPng()], { type: 'image/png' }), 'ada.png');
      const query = new URLSearchParams({ points: '[[10,10]]', labels: '[1]' });
      const job = await fetch(`${url}/v1/services/image-segmentation?${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keptKey}` },
        body: form,
      });
      assert.equal(job.status, 200);
      await page.reload();
      const serverRow = page.locator('table[data-keys] tbody tr', { hasText: 'server' });
      assert.match(
        (await serverRow.locator('td').nth(3).textContent()) ?? '',
        /\d{4}-\d\d-\d\d \d\d:\d\d UTC/,
      );
    });

    it('requests a top-up that the admin approves, and lets the admin disable an account', async () => {
      const { deps } = f.server;
      await page.goto(`${url}/account/credits`);
      await page.fill('input[name=credits]', '50');
      await page.click('button:has-text("Top up")');
      await page.waitForSelector('text=Top-up requested');
      assert.match((await page.textContent('[data-top-ups]')) ?? '', /50 credits,\s*pending/);

      deps.accounts.setAdmin(adaId, true);
      const bob = await f.newContext();
      const bobPage = await bob.newPage();
      const bobId = await f.signUp(bobPage, 'bob@example.com');
      const bobKey = deps.apiKeys.create({ accountId: bobId, name: 'bob-key' }).key;

      await page.goto(`${url}/account/admin`);
      const balance = deps.credits.balance(adaId);
      await page.click('table[data-pending] button:has-text("Approve")');
      await page.waitForSelector('text=Top-up approved');
      assert.equal(deps.credits.balance(adaId), balance + 50);
      const bobRow = page.locator('table[data-accounts] tbody tr', { hasText: 'bob@example.com' });
      await bobRow.locator('input[name=credits]').fill('7');
      await bobRow.locator('button:has-text("Grant")').click();
      await page.waitForSelector('text=Credits granted');
      assert.equal(deps.credits.balance(bobId), 7);
      await f.shot(page, 'admin', { fullPage: true });
      await bobRow.locator('button:has-text("Disable")').click();
      await page.waitForSelector('text=Account disabled');
      const call = await fetch(`${url}/v1/account`, { headers: { authorization: `Bearer ${bobKey}` } });
      assert.equal(call.status, 403, "a disabled account's API keys stop working");
      await bobPage.goto(`${url}/account`);
      assert.equal(
        bobPage.url(),
        `${url}/account/sign-in?next=%2Faccount`,
        "and bob's browser is signed out",
      );
      await bob.close();
      await page.goto(`${url}/account/credits`);
      assert.match(
        (await page.locator('table[data-ledger] tbody tr').first().textContent()) ?? '',
        /\+50[\s\S]*Top-up/,
      );
    });

    it("keeps another account's keys and jobs invisible, and refuses posts without a CSRF token", async () => {
      const { deps } = f.server;
      const eve = await f.newContext();
      const evePage = await eve.newPage();
      const eveId = await f.signUp(evePage, 'eve@example.com');
      const adaKey = deps.apiKeys.list(adaId).find((k) => k.name === 'server');
      assert.ok(adaKey);
      const adaJob = deps.jobs.listJobs(adaId, { limit: 1, offset: 0 })[0];
      assert.ok(adaJob, 'ada has a job to hide');
      for (const path of ['/account', '/account/credits', '/account/usage']) {
        await evePage.goto(`${url}${path}`);
        const html = await evePage.content();
        for (const secret of [adaKey.prefix, adaKey.id, 'laptop', adaJob.id, 'ada@example.com'])
          assert.ok(!html.includes(secret), `${path} shows ${secret}`);
      }
      assert.equal((await evePage.goto(`${url}/account/admin`))?.status(), 404);

      // Through the API with eve's session: ada's job is "not found", like an unknown one.
      await evePage.goto(`${url}/playground`);
      const token = (await evePage.locator('[data-playground]').getAttribute('data-csrf')) ?? '';
      const api = (path: string, headers: Record<string, string>) =>
        evePage.evaluate(
          async ({ path, headers }) =>
            (await (globalThis as unknown as { fetch: typeof fetch }).fetch(path, { headers })).status,
          { path, headers },
        );
      assert.equal(await api(`/v1/jobs/${adaJob.id}`, { 'x-csrf-token': token }), 404);
      assert.equal(await api('/v1/account', { 'x-csrf-token': token }), 200);
      assert.equal(await api('/v1/account', {}), 403, 'session cookie without the CSRF header');

      // Revoking ada's key from eve's session, with eve's valid token: the same 404 as no key.
      await evePage.goto(`${url}/account`);
      const revoke = await evePage.evaluate(
        async ({ id, token }) => {
          const g = globalThis as unknown as { fetch: typeof fetch };
          const body = new URLSearchParams({ _csrf: token });
          return (await g.fetch(`/account/keys/${id}/revoke`, { method: 'POST', body })).status;
        },
        { id: adaKey.id, token: (await evePage.locator('input[name=_csrf]').first().inputValue()) ?? '' },
      );
      assert.equal(revoke, 404);
      assert.equal(deps.apiKeys.authenticate(keptKey)?.keyId, adaKey.id, "ada's key still works");

      // The real form with its token field removed: 403, and no key is made.
      await evePage.fill('input[name=name]', 'forged');
      await evePage.locator('form[action="/account/keys"] input[name=_csrf]').evaluate((el) => {
        (el as unknown as { remove(): void }).remove();
      });
      const [res] = await Promise.all([
        evePage.waitForResponse('**/account/keys'),
        evePage.click('button:has-text("Create key")'),
      ]);
      assert.equal(res.status(), 403);
      assert.match((await evePage.textContent('main')) ?? '', /did not come from this site/);
      assert.equal(deps.apiKeys.list(eveId).length, 0);
      await eve.close();
    });

    it('signs out: the cookie goes, and the old session is dead on the server', async () => {
      const before = (await context.cookies(url)).find((c) => c.name === 'maskd_session')?.value;
      assert.ok(before);
      await page.goto(`${url}/account`);
      await page.click('button:has-text("Sign out")');
      await page.waitForSelector('text=You are signed out');
      const left = (await context.cookies(url)).find((c) => c.name === 'maskd_session');
      assert.equal(left, undefined, 'the browser dropped the cookie');
      const replay = await fetch(`${url}/account`, {
        headers: { cookie: `maskd_session=${before}` },
        redirect: 'manual',
      });
      assert.equal(replay.status, 303, 'a copy of the old cookie is signed out too');
    });

    it('marks the cookies Secure behind an HTTPS proxy', async () => {
      const tls = await startBrowserServer({ engine: 'stub', env: { MASKD_TRUST_PROXY: 'true' } });
      try {
        // What a TLS-terminating proxy adds; maskd trusts it only with MASKD_TRUST_PROXY.
        const ctx = await f.newContext({ headers: { 'x-forwarded-proto': 'https' } });
        const p = await ctx.newPage();
        const setCookies: string[] = [];
        p.on('response', async (r) => {
          const v = await r.headerValue('set-cookie');
          if (v) setCookies.push(...v.split('\n'));
        });
        await p.goto(`${tls.url}/account/sign-up`);
        await p.fill('input[name=email]', 'tls@example.com');
        await p.fill('input[name=password]', TEST_PASSWORD);
        await p.click('button[type=submit]');
        await p.waitForURL(`${tls.url}/account`);
        const session = setCookies.find((c) => c.startsWith('maskd_session='));
        assert.ok(session, 'session cookie sent');
        for (const flag of ['HttpOnly', 'SameSite=Lax', 'Secure']) assert.ok(session.includes(flag), flag);
        await ctx.close();
      } finally {
        await tls.close();
      }
    });

    it('loaded nothing from outside maskd, and nothing broke the CSP or threw', () => {
      assert.deepEqual(foreignUrls(f.requested), []);
      assert.ok(f.requested.size > 10);
      assert.deepEqual(f.pageProblems, []);
    });
  });
