import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock/clock.js';
import { cryptoRandom } from '../../src/random/random-source.js';
import { cookieIsSecure, readCookie, serializeCookie } from '../../src/web/auth/cookies.js';
import { anonymousBinding, createCsrf, sessionBinding } from '../../src/web/auth/csrf.js';
import { createScryptHasher } from '../../src/web/auth/password-hasher.js';
import { createSealedFlash, FLASH_TTL_MS } from '../../src/web/auth/sealed-flash.js';
import { createSessionService, hashSessionToken } from '../../src/web/auth/session-service.js';
import { createMemorySessionStore } from '../../src/web/auth/session-store.js';
import { TEST_SCRYPT } from './web-agent.js';

describe('password hasher', () => {
  const hasher = createScryptHasher({ params: TEST_SCRYPT });

  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hasher.hash('correct horse');
    assert.match(stored, /^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.equal(await hasher.verify('correct horse', stored), true);
    assert.equal(await hasher.verify('correct hors', stored), false);
  });

  it('salts every hash', async () => {
    assert.notEqual(await hasher.hash('same'), await hasher.hash('same'));
  });

  it('answers false (after a real scrypt) for a missing or malformed hash', async () => {
    assert.equal(await hasher.verify('x', null), false);
    assert.equal(await hasher.verify('x', 'plaintext'), false);
    assert.equal(await hasher.verify('x', 'scrypt$99999999$8$1$AAAA$BBBB'), false);
  });

  it('reads the parameters from the stored hash', async () => {
    const stronger = await createScryptHasher({ params: { N: 2048, r: 8, p: 1 } }).hash('pw');
    assert.equal(await hasher.verify('pw', stronger), true);
  });
});

describe('csrf tokens', () => {
  const csrf = createCsrf({ key: Buffer.alloc(32, 1) });

  it('verifies only for the binding it was issued for', () => {
    const t = csrf.issue(sessionBinding('abc'));
    assert.equal(csrf.verify(sessionBinding('abc'), t), true);
    assert.equal(csrf.verify(sessionBinding('abd'), t), false);
    assert.equal(csrf.verify(anonymousBinding('abc'), t), false);
  });

  it('rejects missing, empty, non-string and other-key tokens', () => {
    const other = createCsrf({ key: Buffer.alloc(32, 2) });
    assert.equal(csrf.verify('s:x', undefined), false);
    assert.equal(csrf.verify('s:x', ''), false);
    assert.equal(csrf.verify('s:x', ['a']), false);
    assert.equal(csrf.verify('s:x', other.issue('s:x')), false);
  });
});

describe('session service', () => {
  it('stores only the token hash and expires sessions on the clock', () => {
    const clock = new ManualClock();
    const store = createMemorySessionStore();
    const sessions = createSessionService({ store, clock, random: cryptoRandom, ttlMs: 1000 });
    const { token } = sessions.start('acct-1');
    assert.equal(store.find(token), null, 'the raw token is not a key in the store');
    assert.equal(store.find(hashSessionToken(token))?.accountId, 'acct-1');
    assert.equal(sessions.resolve(token)?.accountId, 'acct-1');
    clock.advance(1000);
    assert.equal(sessions.resolve(token), null);
  });

  it('ends one session, or all of an account', () => {
    const sessions = createSessionService({
      store: createMemorySessionStore(),
      clock: new ManualClock(),
      random: cryptoRandom,
    });
    const a = sessions.start('a').token;
    const b = sessions.start('a').token;
    const c = sessions.start('c').token;
    sessions.end(a);
    assert.equal(sessions.resolve(a), null);
    assert.ok(sessions.resolve(b));
    sessions.endAllFor('a');
    assert.equal(sessions.resolve(b), null);
    assert.ok(sessions.resolve(c));
  });

  it('ignores malformed tokens without a lookup', () => {
    const sessions = createSessionService({
      store: createMemorySessionStore(),
      clock: new ManualClock(),
      random: cryptoRandom,
    });
    assert.equal(sessions.resolve('x'), null);
    assert.equal(sessions.resolve(undefined), null);
  });
});

describe('sealed flash', () => {
  const clock = new ManualClock();
  const flash = createSealedFlash({ key: Buffer.alloc(32, 9), clock, random: cryptoRandom });

  it('opens for the same session until it expires', () => {
    const sealed = flash.seal('sess', { name: 'ci', secret: 'sk-live-x' });
    assert.ok(!sealed.includes('sk-live'), 'the secret is encrypted, not encoded');
    assert.deepEqual(flash.open('sess', sealed), { name: 'ci', secret: 'sk-live-x' });
    assert.equal(flash.open('other', sealed), null);
    clock.advance(FLASH_TTL_MS);
    assert.equal(flash.open('sess', sealed), null);
  });

  it('rejects tampering and garbage', () => {
    const sealed = flash.seal('sess', { name: 'ci', secret: 's' });
    const flipped = Buffer.from(sealed, 'base64url');
    flipped[flipped.length - 1] ^= 1;
    assert.equal(flash.open('sess', flipped.toString('base64url')), null);
    assert.equal(flash.open('sess', 'not-base64-!!'), null);
  });
});

describe('cookies', () => {
  it('always sets HttpOnly and SameSite=Lax, Secure when asked', () => {
    assert.equal(
      serializeCookie('a', 'b c', { maxAgeSeconds: 10, secure: false }),
      'a=b%20c; Path=/; HttpOnly; SameSite=Lax; Max-Age=10',
    );
    assert.match(serializeCookie('a', 'b', { maxAgeSeconds: 0, secure: true }), /; Max-Age=0; Secure$/);
  });

  it("decides Secure from the setting, or from the request's protocol for 'auto'", () => {
    assert.equal(cookieIsSecure('auto', { protocol: 'https' }), true);
    assert.equal(cookieIsSecure('auto', { protocol: 'http' }), false);
    assert.equal(cookieIsSecure('true', { protocol: 'http' }), true);
    assert.equal(cookieIsSecure('false', { protocol: 'https' }), false);
  });

  it('reads one cookie out of a header', () => {
    const request = { headers: { cookie: 'x=1; maskd_session=abc%3D; y=2' } };
    assert.equal(readCookie(request, 'maskd_session'), 'abc=');
    assert.equal(readCookie(request, 'missing'), undefined);
    assert.equal(readCookie({ headers: {} }, 'x'), undefined);
  });
});
