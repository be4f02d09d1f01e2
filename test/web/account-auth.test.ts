import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWebServices, LOGIN_WINDOW_MS, SIGNUPS_PER_IP_PER_HOUR } from '../../src/web/web-services.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { TEST_SCRYPT, WebAgent } from './web-agent.js';

const cookieLine = (res: { headers: Record<string, unknown> }, name: string) =>
  ([res.headers['set-cookie']].flat() as string[]).find((l) => l?.startsWith(`${name}=`));

describe('web sign-up and sign-in', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ overrides: { scrypt: TEST_SCRYPT }, env: { MASKD_LOGIN_RATE_LIMIT: '3' } });
  });
  after(() => t.close());

  it('signs up, lands on /account with a session cookie, and stores a scrypt hash', async () => {
    const a = new WebAgent(t.app);
    const res = await a.signUp('new@example.com');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    const line = cookieLine(res, 'maskd_session');
    assert.ok(line);
    assert.match(line, /HttpOnly/);
    assert.match(line, /SameSite=Lax/);
    assert.doesNotMatch(line, /Secure/, 'plain http with secureCookies=auto');
    const page = await a.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /new@example\.com/);
    assert.match(page.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.equal(page.headers['cache-control'], 'no-store');
    const stored = t.deps.accounts.getByEmail('new@example.com');
    assert.match(stored?.passwordHash ?? '', /^scrypt\$/);
    // Only a hash of the session token is in the database.
    const token = decodeURIComponent(a.cookies.get('maskd_session') ?? '');
    const rows = t.deps.db.prepare('SELECT id_hash FROM web_sessions').all() as { id_hash: string }[];
    assert.ok(rows.length > 0 && rows.every((r) => r.id_hash !== token && /^[0-9a-f]{64}$/.test(r.id_hash)));
  });

  it('marks cookies Secure over https (trusted X-Forwarded-Proto)', async () => {
    const secure = await createTestApp({
      overrides: { scrypt: TEST_SCRYPT },
      env: { MASKD_TRUST_PROXY: 'true' },
    });
    try {
      const a = new WebAgent(secure.app, { headers: { 'x-forwarded-proto': 'https' } });
      const res = await a.signUp('tls@example.com');
      assert.match(cookieLine(res, 'maskd_session') ?? '', /; Secure/);
      // Without trustProxy the header is ignored: no Secure cookie the browser would drop on http.
      const plain = new WebAgent(t.app, { headers: { 'x-forwarded-proto': 'https' } });
      assert.doesNotMatch(
        cookieLine(await plain.signUp('plain@example.com'), 'maskd_session') ?? '',
        /Secure/,
      );
    } finally {
      await secure.close();
    }
  });

  it('refuses a wrong password and an unknown email with the same 401 page', async () => {
    await new WebAgent(t.app).signUp('wrongpw@example.com', 'right password');
    const wrong = await new WebAgent(t.app).signIn('wrongpw@example.com', 'wrong password');
    const unknown = await new WebAgent(t.app).signIn('nobody@example.com', 'wrong password');
    for (const res of [wrong, unknown]) {
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /Incorrect email or password/);
      assert.equal(cookieLine(res, 'maskd_session'), undefined);
    }
  });

  it('signs in with the right password and out again', async () => {
    await new WebAgent(t.app).signUp('inout@example.com', 'hunter2hunter2');
    const a = new WebAgent(t.app);
    const res = await a.signIn('INOUT@example.com', 'hunter2hunter2');
    assert.equal(res.statusCode, 303);
    assert.equal((await a.get('/account')).statusCode, 200);
    const cookie = a.cookies.get('maskd_session');
    await a.get('/account');
    const out = await a.post('/account/sign-out');
    assert.equal(out.statusCode, 303);
    assert.match(cookieLine(out, 'maskd_session') ?? '', /^maskd_session=; .*Max-Age=0/, 'cookie cleared');
    // The old cookie no longer works, even if replayed: the server-side session is gone.
    const replay = await t.app.inject({ url: '/account', headers: { cookie: `maskd_session=${cookie}` } });
    assert.equal(replay.statusCode, 303);
    assert.match(replay.headers.location as string, /^\/account\/sign-in/);
  });

  it('starts a new session id on every sign-in and ends the one the browser had', async () => {
    await new WebAgent(t.app).signUp('fixation@example.com', 'fixation password');
    const a = new WebAgent(t.app);
    await a.signUp('first-of-two@example.com');
    const before = a.cookies.get('maskd_session');
    await a.get('/account');
    // Signing in as someone else from a browser that already has a session.
    const res = await a.post('/account/sign-in', {
      email: 'fixation@example.com',
      password: 'fixation password',
    });
    assert.equal(res.statusCode, 303);
    const after = a.cookies.get('maskd_session');
    assert.ok(before && after && after !== before, 'a fresh session id');
    assert.match((await a.get('/account')).body, /fixation@example\.com/);
    const old = await t.app.inject({ url: '/account', headers: { cookie: `maskd_session=${before}` } });
    assert.equal(old.statusCode, 303, 'the previous session was ended, not left alive');
  });

  it('rate-limits sign-in attempts per email and IP', async () => {
    await new WebAgent(t.app).signUp('limited@example.com', 'the real password');
    const a = new WebAgent(t.app);
    for (let i = 0; i < 3; i++) assert.equal((await a.signIn('limited@example.com', 'nope')).statusCode, 401);
    const blocked = await a.signIn('limited@example.com', 'the real password');
    assert.equal(blocked.statusCode, 429);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    // Another client address is counted separately.
    const other = new WebAgent(t.app, { remoteAddress: '10.9.8.7' });
    assert.equal((await other.signIn('limited@example.com', 'the real password')).statusCode, 303);
    t.clock.advance(LOGIN_WINDOW_MS);
    assert.equal((await a.signIn('limited@example.com', 'the real password')).statusCode, 303);
  });

  it('rate-limits sign-ups per client address', async () => {
    const ip = '10.20.30.40';
    for (let i = 0; i < SIGNUPS_PER_IP_PER_HOUR; i++) {
      const res = await new WebAgent(t.app, { remoteAddress: ip }).signUp(`flood${i}@example.com`);
      assert.equal(res.statusCode, 303, `sign-up ${i + 1}`);
    }
    const blocked = await new WebAgent(t.app, { remoteAddress: ip }).signUp('one-too-many@example.com');
    assert.equal(blocked.statusCode, 429);
    assert.equal(t.deps.accounts.getByEmail('one-too-many@example.com'), null, 'no account made');
    const elsewhere = await new WebAgent(t.app, { remoteAddress: '10.20.30.41' }).signUp(
      'elsewhere@example.com',
    );
    assert.equal(elsewhere.statusCode, 303, 'another address is counted separately');
  });

  it('rejects form posts without a valid CSRF token with 403', async () => {
    const a = new WebAgent(t.app);
    await a.signUp('csrf@example.com');
    await a.get('/account');
    assert.equal((await a.post('/account/keys', { name: 'k', _csrf: null })).statusCode, 403);
    assert.equal((await a.post('/account/keys', { name: 'k', _csrf: 'forged' })).statusCode, 403);
    // A token from another session does not transfer.
    const b = new WebAgent(t.app);
    await b.signUp('csrf2@example.com');
    await b.get('/account');
    assert.equal((await a.post('/account/keys', { name: 'k', _csrf: b.csrf ?? '' })).statusCode, 403);
    assert.equal((await a.post('/account/sign-out', { _csrf: null })).statusCode, 403);
    assert.equal(t.deps.apiKeys.list(t.deps.accounts.getByEmail('csrf@example.com')?.id ?? '').length, 0);
    // Signed-out forms too: sign-in without the nonce cookie's token is refused.
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/account/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=csrf%40example.com&password=correct+horse+battery',
    });
    assert.equal(fresh.statusCode, 403);
  });

  it('has no sign-up when the operator disabled it, but sign-in still works', async () => {
    const closed = await createTestApp({
      overrides: { scrypt: TEST_SCRYPT },
      env: { MASKD_SIGNUP_ENABLED: 'false' },
    });
    try {
      const a = new WebAgent(closed.app);
      assert.equal((await a.get('/account/sign-up')).statusCode, 404);
      const page = await a.get('/account/sign-in');
      assert.doesNotMatch(page.body, /sign-up/);
      assert.equal(
        (await a.post('/account/sign-up', { email: 'x@example.com', password: 'long enough' })).statusCode,
        404,
      );
      // An operator-made account with a password (what `maskd set-password --create` does).
      const hash = await closed.deps.web.passwords.hash('operator given');
      closed.deps.accounts.create({ email: 'op@example.com', passwordHash: hash });
      assert.equal((await a.signIn('op@example.com', 'operator given')).statusCode, 303);
    } finally {
      await closed.close();
    }
  });

  it('does not sign in a disabled account, and its live session stops working', async () => {
    const a = new WebAgent(t.app);
    await a.signUp('soon-disabled@example.com', 'password123');
    const id = t.deps.accounts.getByEmail('soon-disabled@example.com')?.id ?? '';
    t.deps.accounts.setDisabled(id, true);
    // Disabled outside the admin page (no sessions ended): the per-request check still holds.
    assert.equal((await a.get('/account')).statusCode, 303, 'the live session stops working');
    assert.equal(
      (await new WebAgent(t.app).signIn('soon-disabled@example.com', 'password123')).statusCode,
      403,
    );
  });

  it('keeps sign-up errors on the form', async () => {
    const a = new WebAgent(t.app);
    await a.get('/account/sign-up');
    assert.equal(
      (await a.post('/account/sign-up', { email: 'short@example.com', password: 'short' })).statusCode,
      422,
    );
    assert.equal(
      (await a.post('/account/sign-up', { email: 'not-an-email', password: 'long enough' })).statusCode,
      422,
    );
    await new WebAgent(t.app).signUp('taken@example.com');
    const dup = await a.post('/account/sign-up', { email: 'taken@example.com', password: 'long enough' });
    assert.equal(dup.statusCode, 409);
    assert.match(dup.body, /value="taken@example.com"/);
  });

  it('builds web services standalone (composition check)', async () => {
    const web = await createWebServices({
      db: t.deps.db,
      clock: t.clock,
      random: t.deps.random,
      accounts: t.deps.accounts,
      credits: t.deps.credits,
      secret: 'x'.repeat(32),
      config: t.config,
      scrypt: TEST_SCRYPT,
    });
    assert.ok(web.assets.get('maskd.css'), 'stylesheet found');
    assert.ok(web.assets.get('playground.js'), 'client built by tsconfig.web.json');
  });
});
