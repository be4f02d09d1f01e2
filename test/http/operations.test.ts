/** /healthz, /readyz, /metrics, /openapi.json, /docs, /v1/account. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, postImage, type TestApp } from '../helpers/test-app.js';

describe('operations endpoints', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('healthz and readyz', async () => {
    assert.deepEqual((await t.app.inject('/healthz')).json(), { status: 'ok' });
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), {
      status: 'ready',
      checks: { database: true, engine: true },
      model: 'stub',
    });
  });

  test('metrics expose request counts, latency, inference time and engine stats', async () => {
    const { key } = t.createCustomer();
    await postImage(t, key);
    await postImage(t, key);
    await postImage(t, null);
    const res = await t.app.inject('/metrics');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/plain/);
    const text = res.body;
    assert.match(
      text,
      /maskd_http_requests_total\{method="POST",route="\/v1\/services\/image-segmentation",status="200"\} 2/,
    );
    assert.match(
      text,
      /maskd_http_requests_total\{method="POST",route="\/v1\/services\/image-segmentation",status="401"\} 1/,
    );
    assert.match(text, /maskd_http_request_duration_seconds_bucket\{le="0\.005",method="POST"/);
    assert.match(text, /maskd_inference_duration_seconds_count\{cache="miss"\} 1/);
    assert.match(text, /maskd_inference_duration_seconds_count\{cache="hit"\} 1/);
    assert.match(text, /maskd_embedding_cache_hits_total 1/);
    assert.match(text, /maskd_embedding_cache_misses_total 1/);
    assert.match(text, /maskd_engine_queue_depth 0/);
    assert.match(text, /maskd_job_queue_depth 0/);
  });

  test('metrics label routes by pattern, never by raw URL (ids would explode cardinality)', async () => {
    const { key } = t.createCustomer();
    const auth = { authorization: `Bearer ${key}` };
    await t.app.inject({ url: '/v1/jobs/0f0f0f0f-id-in-the-url', headers: auth });
    await t.app.inject({ url: '/no/such/page-0f0f0f0f' });
    const text = (await t.app.inject('/metrics')).body;
    assert.match(
      text,
      /maskd_http_requests_total\{method="GET",route="\/v1\/jobs\/:job_id",status="404"\} 1/,
    );
    assert.match(text, /maskd_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    assert.doesNotMatch(text, /0f0f0f0f/);
  });

  test('openapi.json is OpenAPI 3.1 with every public path and the bearer scheme', async () => {
    const res = await t.app.inject('/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = JSON.parse(res.body);
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/healthz',
      '/readyz',
      '/v1/account',
      '/v1/batches/{batch_id}',
      '/v1/files/{job_id}',
      '/v1/jobs/{job_id}',
      '/v1/services/image-segmentation',
      '/v1/services/image-segmentation/batch',
    ]);
    const single = doc.paths['/v1/services/image-segmentation'].post;
    assert.ok(single.requestBody.content['multipart/form-data'].schema.properties.file);
    assert.deepEqual(Object.keys(single.responses).sort(), [
      '200',
      '202',
      '400',
      '401',
      '402',
      '403',
      '409',
      '413',
      '415',
      '422',
      '429',
      '500',
      '503',
    ]);
    const params = (where: string) =>
      single.parameters
        .filter((p: { in: string }) => p.in === where)
        .map((p: { name: string }) => p.name)
        .sort();
    assert.deepEqual(params('query'), ['async', 'box', 'labels', 'points']);
    assert.deepEqual(params('header'), ['idempotency-key']);
    const batch = doc.paths['/v1/services/image-segmentation/batch'].post;
    assert.ok(batch.parameters.some((p: { in: string; name: string }) => p.name === 'idempotency-key'));
    assert.ok(batch.responses['409']);
    assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
  });

  test('openapi.json keeps the OpenAPI 3.1 rules a validator checks', async () => {
    const doc = JSON.parse((await t.app.inject('/openapi.json')).body);
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    assert.equal(doc.servers[0].url, 'http://maskd.test');
    const text = JSON.stringify(doc);
    // 3.0-only keywords have no place in a 3.1 document (3.1 schemas are JSON Schema 2020-12).
    assert.doesNotMatch(text, /"nullable":/);
    for (const [, ref] of text.matchAll(/"\$ref":"([^"]+)"/g)) {
      const target = (ref as string)
        .replace(/^#\//, '')
        .split('/')
        .reduce((o: Record<string, unknown> | undefined, k) => o?.[k] as Record<string, unknown>, doc);
      assert.ok(target, `unresolved $ref ${ref}`);
    }
    const schemes = Object.keys(doc.components.securitySchemes);
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      assert.ok(path.startsWith('/'), path);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.ok(
          ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(method),
          where,
        );
        const params = (op.parameters ?? []) as {
          name: string;
          in: string;
          required?: boolean;
          schema?: unknown;
        }[];
        const seen = new Set<string>();
        for (const p of params) {
          assert.ok(['query', 'header', 'path', 'cookie'].includes(p.in), `${where} ${p.name}`);
          assert.ok(p.schema, `${where} ${p.name} has no schema`);
          assert.ok(!seen.has(`${p.in}:${p.name}`), `${where} repeats ${p.name}`);
          seen.add(`${p.in}:${p.name}`);
          if (p.in === 'path') assert.equal(p.required, true, `${where} path parameter ${p.name}`);
        }
        assert.deepEqual(
          params
            .filter((p) => p.in === 'path')
            .map((p) => p.name)
            .sort(),
          templated,
          where,
        );
        const responses = op.responses as Record<string, { description?: unknown; content?: object }>;
        assert.ok(Object.keys(responses).length > 0, where);
        for (const [status, r] of Object.entries(responses)) {
          assert.match(status, /^([1-5]\d\d|default)$/, where);
          assert.equal(typeof r.description, 'string', `${where} ${status} needs a description`);
          for (const [type, media] of Object.entries(r.content ?? {})) {
            assert.match(type, /^[\w.+-]+\/[\w.+-]+$/, where);
            assert.ok((media as { schema?: unknown }).schema, `${where} ${status} ${type}`);
            // Error bodies are JSON even where the success is a PNG.
            if (Number(status) >= 400) assert.equal(type, 'application/json', `${where} ${status}`);
          }
        }
        const body = op.requestBody as { content?: object } | undefined;
        if (body) assert.ok(body.content && Object.keys(body.content).length > 0, where);
        for (const req of (op.security ?? []) as Record<string, unknown>[]) {
          for (const name of Object.keys(req)) assert.ok(schemes.includes(name), `${where} security ${name}`);
        }
        if (typeof op.operationId === 'string') {
          assert.ok(!operationIds.has(op.operationId), op.operationId);
          operationIds.add(op.operationId);
        }
      }
    }
    // `async` and Idempotency-Key are optional: a client that never heard of them must not be
    // told they are required.
    const single = doc.paths['/v1/services/image-segmentation'].post;
    for (const name of ['async', 'idempotency-key']) {
      assert.equal(single.parameters.find((p: { name: string }) => p.name === name).required, false, name);
    }
  });

  test('/docs serves the UI with local assets only: no external URL in the page', async () => {
    const page = await t.app.inject('/docs/');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger-ui/);
    assert.doesNotMatch(page.body, /(https?:)?\/\/[a-z0-9]/i);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(assets.length >= 3, 'the page loads its script and styles');
    for (const asset of assets) {
      const res = await t.app.inject(new URL(asset, 'http://x/docs/').pathname);
      assert.equal(res.statusCode, 200, asset);
    }
    // Swagger UI would otherwise send the document to validator.swagger.io.
    const init = await t.app.inject('/docs/static/swagger-initializer.js');
    assert.match(init.body, /validatorUrl: null/);
    assert.equal((await t.app.inject('/docs/json')).statusCode, 200);
  });

  test('GET /v1/account shows id, email, balance and limits', async () => {
    const { account, key } = t.createCustomer({ credits: 12, email: 'Ada@Example.com' });
    const res = await t.app.inject({ url: '/v1/account', headers: { authorization: `Bearer ${key}` } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      id: account.id,
      email: 'ada@example.com',
      balance: 12,
      credits_per_image: 1,
      rate_limits: {
        single: { requests: 60, window_seconds: 60 },
        batch: { requests: 30, window_seconds: 60 },
      },
      created_at: new Date(t.clock.now()).toISOString(),
    });
  });

  test('unknown errors are a generic 500 with the request id; details only in the log', async () => {
    const { key } = t.createCustomer();
    const original = t.deps.engine.probe;
    t.deps.engine.probe = async () => {
      throw new Error('secret internal path /var/lib/x');
    };
    try {
      const res = await postImage(t, key);
      assert.equal(res.statusCode, 500);
      assert.deepEqual(res.json(), {
        detail: 'Internal server error',
        request_id: res.headers['x-request-id'],
      });
      assert.doesNotMatch(res.body, /secret/);
    } finally {
      t.deps.engine.probe = original;
    }
  });

  test('an engine crash mid-inference: a generic 500 (sync) or a generic job error (async), refunded', async () => {
    const { account, key } = t.createCustomer({ credits: 2 });
    const original = t.deps.engine.segment;
    t.deps.engine.segment = async () => {
      throw new Error('ENOENT /var/lib/maskd/models/secret.onnx');
    };
    try {
      const sync = await postImage(t, key);
      assert.equal(sync.statusCode, 500);
      assert.deepEqual(sync.json(), {
        detail: 'Internal server error',
        request_id: sync.headers['x-request-id'],
      });
      const accepted = (await postImage(t, key, { query: 'box=[1,1,30,30]&async=true' })).json();
      let job = accepted;
      for (let i = 0; i < 500 && job.status !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 10));
        job = (
          await t.app.inject({
            url: `/v1/jobs/${accepted.job_id}`,
            headers: { authorization: `Bearer ${key}` },
          })
        ).json();
      }
      assert.equal(job.status, 'failed');
      assert.equal(job.error, 'Internal error while processing the image');
      assert.doesNotMatch(JSON.stringify(job), /secret|ENOENT/);
      assert.equal(t.deps.credits.balance(account.id), 2);
    } finally {
      t.deps.engine.segment = original;
    }
  });
});
