/**
 * Hostile values through the real app: garbage prompts, odd filenames, ids that try to walk
 * the file system, repeated parameters, bodies of the wrong type. Each is a 4xx in the spec's
 * shape (never a 5xx), charges nothing, and carries an X-Request-Id — errors thrown in hooks too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, grayPng, multipartBody, postImage, type TestApp } from '../helpers/test-app.js';

const UUID = /^[0-9a-f-]{36}$/;

describe('hostile inputs', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { MASKD_RATE_LIMIT_SINGLE: '1000' } });
  });
  after(() => t.close());

  test('garbage prompts → 422 value_error on the right field; nothing charged', async () => {
    const { account, key } = t.createCustomer({ credits: 1 });
    const many = (n: number) => JSON.stringify(Array.from({ length: n }, () => [1, 1]));
    const nested = `${'['.repeat(2000)}${']'.repeat(2000)}`;
    const cases: [string, string][] = [
      ['points=[[NaN,1]]', 'points'],
      ['points=[[Infinity,1]]', 'points'],
      ['points=[[1e309,1]]', 'points'],
      ['points=[[-1,5]]', 'points'],
      ['points=[[[1,2]]]', 'points'],
      [`points=${nested}`, 'points'],
      [`points=${many(65)}`, 'points'],
      [`points=${many(1000)}`, 'points'],
      ['points=[["1","2"]]', 'points'],
      ['points=[[１,2]]', 'points'], // full-width digit
      ['points={"x":1}', 'points'],
      ['points=null', 'points'],
      ['points=[[1,2]]&points=[[3,4]]', 'points'],
      ['points=[[1,2]]&labels=[2]', 'labels'],
      ['points=[[1,2]]&labels=[true]', 'labels'],
      ['points=[[1,2]]&labels=[1,1]', 'labels'],
      ['labels=[1]&box=[1,1,5,5]', 'labels'],
      ['box=[1,2,3]', 'box'],
      ['box=[5,5,1,1]', 'box'],
      ['box=[1,1,1e400,5]', 'box'],
      ['box=%ZZ', 'box'],
      ['box=[1,1,5,5]&async=yes-please', 'async'],
    ];
    for (const [query, field] of cases) {
      const res = await postImage(t, key, { query: encodeURI(query).replaceAll('%25ZZ', '%ZZ') });
      assert.equal(res.statusCode, 422, `${query}: ${res.statusCode} ${res.body}`);
      const body = res.json();
      assert.deepEqual(Object.keys(body.detail[0]), ['loc', 'msg', 'type'], query);
      assert.deepEqual(body.detail[0].loc, ['query', field], query);
      assert.equal(body.detail[0].type, 'value_error', query);
      assert.match(res.headers['x-request-id'] as string, UUID);
    }
    assert.equal(t.deps.credits.balance(account.id), 1);
  });

  test('unknown, bracketed and prototype-named query parameters are ignored', async () => {
    const { key } = t.createCustomer();
    const res = await postImage(t, key, { query: 'box=[1,1,5,5]&__proto__=x&constructor=y&box[a]=1&zzz=1' });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('filenames: unicode kept, directories and control characters dropped, length bounded', async () => {
    const { key } = t.createCustomer();
    const cases: [string, string | null][] = [
      ['фото 😀.png', 'фото 😀.png'],
      ['../../etc/passwd', 'passwd'],
      ['C:\\Users\\me\\photo.png', 'photo.png'],
      ['a\tb\u0000c.png', 'abc.png'],
      [`${'n'.repeat(400)}.png`, 'n'.repeat(255)],
      ['', null],
    ];
    for (const [filename, shown] of cases) {
      const form = multipartBody([
        { name: 'file', filename, contentType: 'image/png', data: await grayPng() },
      ]);
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/services/image-segmentation?box=[1,1,5,5]',
        headers: { authorization: `Bearer ${key}`, ...form.headers },
        payload: form.payload,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().result.input_filename, shown, JSON.stringify(filename));
    }
  });

  test('ids that try to walk the file system are unknown ids: 404 for jobs and batches, 403 for files', async () => {
    const { key } = t.createCustomer();
    const auth = { authorization: `Bearer ${key}` };
    for (const id of [
      '..%2F..%2Fetc%2Fpasswd',
      '%2E%2E',
      '%00',
      'a%2F..%2F..',
      '%E2%80%AE',
      'masks%2Fx.png',
    ]) {
      const job = await t.app.inject({ url: `/v1/jobs/${id}`, headers: auth });
      assert.equal(job.statusCode, 404, id);
      // `%2E%2E` is normalised to `..` by the router and matches no route at all: "Not Found".
      assert.match(job.json().detail, /^(Job not found|Not Found)$/, id);
      const batch = await t.app.inject({ url: `/v1/batches/${id}`, headers: auth });
      assert.equal(batch.statusCode, 404, id);
      const file = await t.app.inject({ url: `/v1/files/${id}?expires=99999999999&sig=AAAA` });
      assert.ok([403, 404].includes(file.statusCode), `${id}: ${file.statusCode}`);
    }
  });

  test('regression: a repeated expires or sig is the same 403, not a telling 422', async () => {
    const { key } = t.createCustomer();
    const url = new URL((await postImage(t, key)).json().result.output_url);
    const expires = url.searchParams.get('expires');
    const sig = url.searchParams.get('sig');
    for (const query of [
      `expires=${expires}&expires=${expires}&sig=${sig}`,
      `expires=${expires}&sig=${sig}&sig=${sig}`,
    ]) {
      const res = await t.app.inject({ url: `${url.pathname}?${query}` });
      assert.equal(res.statusCode, 403, query);
      assert.equal(res.body, '{"detail":"Invalid or expired signature"}');
    }
  });

  test('regression: a body that is not multipart is the spec\'s 400 "no file", never 415', async () => {
    const { account, key } = t.createCustomer({ credits: 1 });
    const png = await grayPng();
    for (const [name, headers, payload] of [
      ['raw image', { 'content-type': 'image/png' }, png],
      ['no content type', {}, png],
      ['empty content type', { 'content-type': '' }, png],
      ['form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }, 'file=x'],
      ['text', { 'content-type': 'text/plain' }, 'hello'],
      ['json', { 'content-type': 'application/json' }, '{"file":"x"}'],
    ] as const) {
      for (const url of ['/v1/services/image-segmentation', '/v1/services/image-segmentation/batch']) {
        const res = await t.app.inject({
          method: 'POST',
          url: `${url}?box=[1,1,5,5]`,
          headers: { authorization: `Bearer ${key}`, ...headers },
          payload,
        });
        assert.equal(res.statusCode, 400, `${name} → ${url}: ${res.statusCode} ${res.body}`);
        assert.match(res.json().detail, /No file/, name);
      }
    }
    assert.equal(t.deps.credits.balance(account.id), 1);
  });

  test('X-Request-Id on every answer: 404s, wrong methods, errors thrown in auth and rate-limit hooks', async () => {
    const limited = await createTestApp({ env: { MASKD_RATE_LIMIT_SINGLE: '1' } });
    try {
      const { key } = limited.createCustomer();
      const disabled = limited.createCustomer();
      limited.deps.accounts.setDisabled(disabled.account.id, true);
      const answers = [
        await limited.app.inject({ url: '/no/such/route' }),
        await limited.app.inject({ method: 'DELETE', url: '/v1/jobs/x' }),
        await limited.app.inject({ method: 'GET', url: '/v1/services/image-segmentation' }),
        await limited.app.inject({ url: '/v1/account' }), // 401 from the authenticate hook
        await limited.app.inject({
          url: '/v1/account',
          headers: { authorization: `Bearer ${disabled.key}` },
        }),
        await postImage(limited, key), // 200, uses the one request of the window
        await postImage(limited, key), // 429 from the rate-limit hook
      ];
      assert.deepEqual(
        answers.map((r) => r.statusCode),
        [404, 404, 404, 401, 403, 200, 429],
      );
      for (const r of answers) assert.match(r.headers['x-request-id'] as string, UUID, String(r.statusCode));
      const refused = answers[6];
      assert.ok(refused);
      assert.equal(refused.headers['retry-after'], refused.headers['ratelimit-reset']);
      assert.equal(refused.headers['ratelimit-limit'], '1');
      assert.equal(refused.headers['ratelimit-remaining'], '0');
    } finally {
      await limited.close();
    }
  });
});
