/**
 * Graceful close: a request in flight when the app starts closing still completes; one that
 * arrives behind it on the same kept-alive connection gets a 503 in the `{"detail": …}` shape
 * with Retry-After, an X-Request-Id and `Connection: close`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gatedEngine } from '../helpers/gated-engine.js';
import { createTestApp, grayPng } from '../helpers/test-app.js';
import { rawMultipart, rawRequest } from './raw-http.js';

test('closing: in-flight requests finish; pipelined ones get a 503 with a request id', async () => {
  const gated = gatedEngine(50_000_000);
  const t = await createTestApp({ engine: () => gated.engine });
  let closed: Promise<void> | null = null;
  try {
    const origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { key } = t.createCustomer();
    const body = rawMultipart('B', [['file', 'a.png', await grayPng()]]);
    const first =
      'POST /v1/services/image-segmentation?box=[1,1,5,5] HTTP/1.1\r\nHost: x\r\n' +
      `Authorization: Bearer ${key}\r\nContent-Type: multipart/form-data; boundary=B\r\n` +
      `Content-Length: ${body.length}\r\n\r\n`;
    const second = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
    // The second request is written 400 ms later, once close() has begun.
    const answer = rawRequest(origin, [first, body, second], { delays: [0, 0, 400], waitMs: 5000 });
    await gated.started;
    closed = t.close();
    await sleep(600);
    gated.open();
    const res = await answer;
    // Two responses on one socket: the 200 of the request in flight, then the refused one.
    const [okHead, ...rest] = `${res.status} ${res.body}`.split('HTTP/1.1 ');
    assert.match(okHead ?? '', /^200 /);
    const refused = rest.join('HTTP/1.1 ');
    assert.match(refused, /^503 /);
    assert.match(refused, /\r\nx-request-id: [0-9a-f-]{36}\r\n/i);
    assert.match(refused, /\r\nretry-after: 1\r\n/i);
    assert.match(refused, /\r\nconnection: close\r\n/i);
    assert.match(refused, /\{"detail":"The server is shutting down; retry shortly"\}$/);
  } finally {
    gated.open();
    await (closed ?? t.close());
  }
});
