/**
 * The top-up provider interface from the outside, with a payment provider written the way
 * docs/top-up-providers.md describes: `begin` sends the browser to a checkout page, and a
 * signed webhook completes the request, which grants the credits through the ledger once.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/errors/app-error.js';
import { MAX_TOP_UP, MIN_TOP_UP, type TopUpProvider } from '../../src/web/top-up/top-up-provider.js';
import type { TopUpRequests } from '../../src/web/top-up/top-up-requests.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { TEST_SCRYPT, WebAgent } from './web-agent.js';

const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';
const sign = (body: string) => createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');

/** A stand-in for a card processor: checkout on its site, then a signed "paid" callback. */
function fakePayProvider(requests: TopUpRequests): TopUpProvider {
  return {
    id: 'fakepay',
    description: 'Pay by card; credits arrive as soon as the payment clears.',
    needsApproval: false,
    async begin({ accountId, credits, returnUrl }) {
      if (!Number.isSafeInteger(credits) || credits < MIN_TOP_UP || credits > MAX_TOP_UP)
        throw new AppError('validation', 'bad amount', { field: 'credits', location: 'body' });
      const request = requests.create({ accountId, credits, provider: 'fakepay' });
      const url = `https://pay.example/checkout?ref=${request.id}&return=${encodeURIComponent(returnUrl)}`;
      return { kind: 'redirect', request, url };
    },
    routes(app) {
      // The signature covers the exact bytes sent, so keep them (this context only: see below).
      app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
        done(null, body),
      );
      app.post('/top-up/fakepay/webhook', async (request, reply) => {
        const raw = request.body as Buffer;
        const given = Buffer.from(String(request.headers['x-fakepay-signature'] ?? ''));
        const expected = Buffer.from(sign(raw.toString('utf8')));
        if (given.length !== expected.length || !timingSafeEqual(given, expected))
          return reply.code(401).send({ error: 'bad signature' });
        const { ref, amount, charge } = JSON.parse(raw.toString('utf8')) as {
          ref: string;
          amount: number;
          charge: string;
        };
        const pending = requests.get(ref);
        if (pending?.provider !== 'fakepay' || pending.credits !== amount)
          return reply.code(404).send({ error: 'unknown request' });
        const granted = requests.complete(ref, { decidedBy: 'provider:fakepay', externalRef: charge });
        return { granted };
      });
    },
  };
}

describe('a top-up provider that fails', () => {
  it("shows a generic 500 page with the request id, never the provider's error", async () => {
    const broken = (): TopUpProvider => ({
      id: 'broken',
      description: 'Always down.',
      needsApproval: false,
      begin: async () => {
        throw new Error('acme: invalid api key sk_live_SECRET');
      },
    });
    const t = await createTestApp({ overrides: { scrypt: TEST_SCRYPT, topUp: broken } });
    try {
      const a = new WebAgent(t.app);
      await a.signUp('unlucky@example.com');
      await a.get('/account/credits');
      const res = await a.post('/account/top-up', { credits: '10' });
      assert.equal(res.statusCode, 500);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.doesNotMatch(res.body, /SECRET|acme/);
      assert.match(res.body, new RegExp(`Request id: ${res.headers['x-request-id']}`));
    } finally {
      await t.close();
    }
  });
});

describe('a payment top-up provider', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ overrides: { scrypt: TEST_SCRYPT, topUp: fakePayProvider } });
  });
  after(() => t.close());

  const webhook = (body: object, signature = sign(JSON.stringify(body))) =>
    t.app.inject({
      method: 'POST',
      url: '/top-up/fakepay/webhook',
      headers: { 'content-type': 'application/json', 'x-fakepay-signature': signature },
      payload: JSON.stringify(body),
    });

  it('redirects to checkout, and grants once when the signed webhook says paid', async () => {
    const a = new WebAgent(t.app);
    await a.signUp('payer@example.com');
    const id = t.deps.accounts.getByEmail('payer@example.com')?.id ?? '';
    const page = (await a.get('/account/credits')).body;
    assert.match(page, /Pay by card/);

    const res = await a.post('/account/top-up', { credits: '40' });
    assert.equal(res.statusCode, 303);
    const checkout = new URL(res.headers.location as string);
    assert.equal(checkout.origin, 'https://pay.example');
    assert.equal(checkout.searchParams.get('return'), 'http://maskd.test/account/credits');
    const ref = checkout.searchParams.get('ref') ?? '';
    assert.equal(t.deps.credits.balance(id), 0, 'nothing before payment');

    const paid = { ref, amount: 40, charge: 'ch_123' };
    assert.equal((await webhook(paid, 'f'.repeat(64))).statusCode, 401, 'forged callback');
    assert.equal((await webhook({ ...paid, amount: 4000 })).statusCode, 404, 'amount must match');
    const ok = await webhook(paid);
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { granted: true });
    assert.deepEqual((await webhook(paid)).json(), { granted: false }, 'a replay grants nothing');
    assert.equal(t.deps.credits.balance(id), 40);
    const request = t.deps.web.topUpRequests.get(ref);
    assert.equal(request?.status, 'completed');
    assert.equal(request?.externalRef, 'ch_123');
    assert.equal(request?.decidedBy, 'provider:fakepay');
    assert.match((await a.get('/account/credits')).body, /status-completed/);
  });

  it("keeps the provider's raw-body parser inside its own routes", async () => {
    const a = new WebAgent(t.app);
    await a.signUp('json@example.com');
    await a.get('/account');
    // A JSON form post to a page route still arrives parsed: its CSRF token and name are read.
    const res = await t.app.inject({
      method: 'POST',
      url: '/account/keys',
      headers: {
        cookie: `maskd_session=${a.cookies.get('maskd_session')}`,
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ _csrf: a.csrf, name: 'from-json' }),
    });
    assert.equal(res.statusCode, 303);
    const id = t.deps.accounts.getByEmail('json@example.com')?.id ?? '';
    assert.deepEqual(
      t.deps.apiKeys.list(id).map((k) => k.name),
      ['from-json'],
    );
  });

  it('keeps unpaid checkouts out of the admin approval queue', async () => {
    const a = new WebAgent(t.app);
    await a.signUp('boss@example.com');
    const id = t.deps.accounts.getByEmail('boss@example.com')?.id ?? '';
    await a.get('/account/credits');
    await a.post('/account/top-up', { credits: '10' });
    t.deps.accounts.setAdmin(id, true);
    const admin = (await a.get('/account/admin')).body;
    assert.match(admin, /Nothing waiting/);
    assert.equal(t.deps.web.topUpRequests.listPending(10).length, 1, 'still pending, awaiting payment');
  });
});
