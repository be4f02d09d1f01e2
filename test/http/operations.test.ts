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
      '413',
      '415',
      '422',
      '429',
      '500',
      '503',
    ]);
    assert.deepEqual(single.parameters.map((p: { name: string }) => p.name).sort(), [
      'async',
      'box',
      'labels',
      'points',
    ]);
    assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
  });

  test('/docs serves the UI with local assets', async () => {
    const page = await t.app.inject('/docs/');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger-ui/);
    assert.doesNotMatch(page.body, /https?:\/\/(cdn|unpkg)/);
    const asset = await t.app.inject('/docs/static/swagger-ui-bundle.js');
    assert.equal(asset.statusCode, 200);
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
});
