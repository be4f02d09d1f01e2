/**
 * Hostile clients against the real server (`startServer`, as `npm start` runs it, with its socket
 * timeouts) on a temp data dir: lying Content-Lengths, bodies that stop, headers that never end,
 * undecodable URLs, oversized ids and uploads. Every answer is a 4xx in the `{"detail": …}` shape
 * with an X-Request-Id, never a 5xx, a crash or a hang; the server stays healthy throughout.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Config, loadConfig } from '../../src/config/config.js';
import { createAccountDeps } from '../../src/deps.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { grayPng } from '../helpers/test-app.js';
import { rawMultipart, rawRequest } from './raw-http.js';

const MAX_UPLOAD = 100_000;
const REQUEST_TIMEOUT_MS = 600;
const B = 'hostileBoundary';
const UUID = /^[0-9a-f-]{36}$/;

describe('hostile requests against a listening server', () => {
  let dataDir: string;
  let config: Config;
  let server: RunningServer;
  let key: string;
  let accountId: string;
  let png: Buffer;

  const balance = async () => {
    const deps = await createAccountDeps(config);
    try {
      return deps.credits.balance(accountId);
    } finally {
      await deps.close();
    }
  };
  const head = (length: number | null, extra = '') =>
    `POST /v1/services/image-segmentation?box=[1,1,5,5] HTTP/1.1\r\nHost: x\r\n` +
    `Authorization: Bearer ${key}\r\nContent-Type: multipart/form-data; boundary=${B}\r\n` +
    `${length === null ? '' : `Content-Length: ${length}\r\n`}${extra}\r\n`;
  const assertDetail = (res: { status: number; headers: Record<string, string>; body: string }) => {
    assert.match(res.headers['x-request-id'] ?? '', UUID, `no request id on ${res.status}`);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(typeof JSON.parse(res.body).detail, 'string');
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'maskd-hostile-'));
    config = loadConfig({
      MASKD_DATA_DIR: dataDir,
      MASKD_ENGINE: 'stub',
      MASKD_LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      MASKD_MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
      MASKD_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
    const deps = await createAccountDeps(config);
    try {
      accountId = deps.accounts.create({ email: 'hostile@example.com' }).id;
      deps.credits.grant(accountId, 100, 'test');
      key = deps.apiKeys.create({ accountId }).key;
    } finally {
      await deps.close();
    }
    server = await startServer(config);
    png = await grayPng();
  });
  after(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a well-formed request over the same raw socket works (the baseline)', async () => {
    const body = rawMultipart(B, [['file', 'a.png', png]]);
    const res = await rawRequest(server.address, [head(body.length, 'Connection: close\r\n'), body]);
    assert.equal(res.status, 200, res.body);
    assert.equal(JSON.parse(res.body).status, 'completed');
  });

  test('broken HTTP framing → 400 {"detail"} with a request id, never a 5xx', async () => {
    const body = rawMultipart(B, [['file', 'a.png', png]]);
    const cases: [string, (string | Buffer)[], boolean][] = [
      ['Content-Length shorter than the body', [head(body.length - 40), body], false],
      ['Content-Length longer, then the client hangs up', [head(body.length + 500), body], true],
      ['Content-Length of 10 GB, then the client hangs up', [head(10_000_000_000), body], true],
      ['negative Content-Length', [head(-1), body], false],
      [
        'Content-Length and chunked together',
        [head(body.length, 'Transfer-Encoding: chunked\r\n'), body],
        false,
      ],
      ['invalid chunk size', [head(null, 'Transfer-Encoding: chunked\r\n'), 'zz\r\nabc\r\n0\r\n\r\n'], false],
      ['binary request line', ['\u0000\u0001 HELLO\r\n\r\n'], false],
    ];
    for (const [name, chunks, end] of cases) {
      const res = await rawRequest(server.address, chunks, { end });
      assert.equal(res.status, 400, `${name}: ${res.status} ${res.body}`);
      assert.deepEqual(JSON.parse(res.body), { detail: 'Malformed HTTP request' }, name);
      assertDetail(res);
    }
  });

  test('headers over the size limit → 431 {"detail"}', async () => {
    const res = await rawRequest(server.address, [
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]);
    assert.equal(res.status, 431);
    assertDetail(res);
  });

  test('a URL that does not decode → 400; an over-long id → the 404 of an unknown id', async () => {
    const bad = await rawRequest(server.address, [
      'GET /v1/jobs/% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    ]);
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), { detail: 'Malformed URL' });
    assertDetail(bad);
    for (const id of ['a'.repeat(70), 'a'.repeat(150)]) {
      const res = await fetch(`${server.address}/v1/jobs/${id}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(res.status, 404, id.length.toString());
      assert.match(res.headers.get('x-request-id') ?? '', UUID);
    }
  });

  test('a body that stops arriving is cut at the request timeout with 408', async () => {
    const body = rawMultipart(B, [['file', 'a.png', png]]);
    const res = await rawRequest(server.address, [head(body.length), body.subarray(0, 100)], {
      waitMs: 10_000,
    });
    assert.equal(res.status, 408);
    assert.deepEqual(JSON.parse(res.body), { detail: 'Request timeout' });
    assertDetail(res);
    assert.ok(res.closedByServer);
    // Node checks timeouts on an interval (a quarter of the timeout here), so allow for it.
    assert.ok(res.elapsedMs < REQUEST_TIMEOUT_MS * 4, `took ${res.elapsedMs} ms`);
  });

  test('headers that never end are cut at the timeout too', async () => {
    const res = await rawRequest(
      server.address,
      ['POST /v1/services/image-segmentation HTTP/1.1\r\nHost: x\r\n'],
      {
        waitMs: 10_000,
      },
    );
    assert.equal(res.status, 408);
    assert.ok(res.elapsedMs < REQUEST_TIMEOUT_MS * 4, `took ${res.elapsedMs} ms`);
  });

  test('413 arrives while the client is still uploading, and nothing is charged', async () => {
    const before = await balance();
    const partHead = Buffer.from(
      `--${B}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    // Declares 30 MB, sends a little over the limit, then waits: the answer must not wait for the rest.
    const res = await rawRequest(
      server.address,
      [head(30_000_000), partHead, Buffer.alloc(MAX_UPLOAD + 65_536, 7)],
      {
        waitMs: REQUEST_TIMEOUT_MS / 2,
        untilResponse: true,
      },
    );
    assert.equal(res.status, 413, res.body);
    assert.match(JSON.parse(res.body).detail, /maximum size/);
    assert.equal(res.headers.connection, 'close');
    assertDetail(res);
    assert.equal(await balance(), before);
  });

  test('two "file" fields, or many stray file parts → 400, not a silent pick', async () => {
    const two = rawMultipart(B, [
      ['file', 'a.png', png],
      ['file', 'b.png', png],
    ]);
    const res = await rawRequest(server.address, [head(two.length, 'Connection: close\r\n'), two]);
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { detail: 'Send exactly one file in the multipart field "file"' });
    assertDetail(res);
    const stray = rawMultipart(B, [
      ...Array.from({ length: 6 }, (): [string, string, Buffer] => ['x', 'x.png', png]),
    ]);
    const many = await rawRequest(server.address, [head(stray.length, 'Connection: close\r\n'), stray]);
    assert.equal(many.status, 400);
    assertDetail(many);
  });

  test('refusals before routing and by the HTTP parser are counted in /metrics', async () => {
    const count = async (labels: string) => {
      const text = await (await fetch(`${server.address}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`maskd_http_requests_total{${labels}}`));
      return Number(line?.split(' ').pop() ?? 0);
    };
    const unparsed400 = 'method="unknown",route="unparsed",status="400"';
    const unparsed431 = 'method="unknown",route="unparsed",status="431"';
    const badUrl = 'method="GET",route="unmatched",status="400"';
    const longId = 'method="GET",route="unmatched",status="404"';
    const before = await Promise.all([unparsed400, unparsed431, badUrl, longId].map(count));
    await rawRequest(server.address, ['\u0000\u0001 HELLO\r\n\r\n']);
    await rawRequest(server.address, [
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]);
    await rawRequest(server.address, ['GET /v1/jobs/% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    await fetch(`${server.address}/v1/jobs/${'a'.repeat(150)}`);
    const afterwards = await Promise.all([unparsed400, unparsed431, badUrl, longId].map(count));
    assert.deepEqual(
      afterwards.map((n, i) => n - (before[i] as number)),
      [1, 1, 1, 1],
    );
  });

  test('the server is still healthy after all of it', async () => {
    const res = await fetch(`${server.address}/readyz`);
    assert.equal(res.status, 200);
  });
});
