import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { AppError } from '../../src/errors/app-error.js';
import { downloadFile, parseContentRange } from '../../src/models/downloader.js';
import { type RangeFileServer, startRangeFileServer } from '../helpers/range-file-server.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe('downloadFile', () => {
  const body = randomBytes(3 * 1024 * 1024);
  const corrupt = Buffer.from(body);
  corrupt[1_234_567] = (corrupt[1_234_567] as number) ^ 0xff;
  let server: RangeFileServer;
  let dir: string;

  before(async () => {
    server = await startRangeFileServer({});
  });
  after(() => server.close());
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'maskd-dl-'));
    server.requests.length = 0;
    server.files.clear();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const request = (path: string, extra: Partial<Parameters<typeof downloadFile>[0]> = {}) => ({
    url: `${server.url}${path}`,
    dest: join(dir, 'model.onnx'),
    sha256: sha256(body),
    bytes: body.length,
    ...extra,
  });

  it('downloads, verifies and renames into place, reporting progress', async () => {
    server.files.set('/m', { body });
    const seen: [number, number | null][] = [];
    const res = await downloadFile(request('/m', { onProgress: (d, t) => seen.push([d, t]) }));
    assert.deepEqual(res, { path: join(dir, 'model.onnx'), bytes: body.length, resumedFrom: 0 });
    assert.ok((await readFile(res.path)).equals(body));
    assert.equal(await exists(`${res.path}.part`), false);
    assert.deepEqual(seen.at(-1), [body.length, body.length]);
    assert.equal(server.requests[0]?.range, undefined);
  });

  it('keeps the .part when the connection drops, then resumes with a Range request', async () => {
    server.files.set('/m', { body, cutAfter: 1024 * 1024 });
    const dest = join(dir, 'model.onnx');
    await assert.rejects(downloadFile(request('/m')), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'download_failed');
      assert.match(
        err.message,
        /connection lost after \d+ of 3145728 bytes; run the command again to resume/,
      );
      return true;
    });
    assert.equal(await exists(dest), false);
    const partial = (await stat(`${dest}.part`)).size;
    assert.ok(partial > 0 && partial < body.length, `partial size ${partial}`);

    const res = await downloadFile(request('/m'));
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[1]?.range, `bytes=${partial}-`);
    assert.equal(res.resumedFrom, partial);
    assert.ok((await readFile(dest)).equals(body));
    assert.equal(await exists(`${dest}.part`), false);
  });

  it('starts over when the server ignores Range', async () => {
    const dest = join(dir, 'model.onnx');
    await writeFile(`${dest}.part`, body.subarray(0, 1000));
    server.files.set('/m', { body, ignoreRange: true });
    const res = await downloadFile(request('/m'));
    assert.equal(server.requests[0]?.range, 'bytes=1000-');
    assert.equal(res.resumedFrom, 0);
    assert.ok((await readFile(dest)).equals(body));
  });

  it('treats 416 on a complete .part as done once the checksum matches', async () => {
    const dest = join(dir, 'model.onnx');
    await writeFile(`${dest}.part`, body);
    server.files.set('/m', { body });
    const res = await downloadFile(request('/m'));
    assert.equal(server.requests[0]?.range, `bytes=${body.length}-`);
    assert.ok((await readFile(dest)).equals(body));
    assert.equal(res.resumedFrom, body.length);
  });

  it('rejects a corrupted file with checksum_mismatch and leaves nothing behind', async () => {
    server.files.set('/m', { body: corrupt });
    const dest = join(dir, 'model.onnx');
    await assert.rejects(downloadFile(request('/m')), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'checksum_mismatch');
      assert.match(err.message, new RegExp(`expected ${sha256(body)}`));
      return true;
    });
    assert.equal(await exists(dest), false);
    assert.equal(await exists(`${dest}.part`), false);
  });

  it('retries once from scratch when a resumed prefix turns out to be wrong', async () => {
    const dest = join(dir, 'model.onnx');
    await writeFile(`${dest}.part`, corrupt.subarray(0, 2_000_000)); // contains the flipped byte
    server.files.set('/m', { body });
    await downloadFile(request('/m'));
    assert.deepEqual(
      server.requests.map((r) => r.range),
      ['bytes=2000000-', undefined],
    );
    assert.ok((await readFile(dest)).equals(body));
  });

  it('refuses a server whose size differs from the published one', async () => {
    server.files.set('/m', { body: body.subarray(0, 1000) });
    await assert.rejects(downloadFile(request('/m')), { code: 'checksum_mismatch' });
  });

  it('reports HTTP errors and refused connections as download_failed', async () => {
    await assert.rejects(downloadFile(request('/missing')), (err: unknown) => {
      assert.ok(err instanceof AppError && err.code === 'download_failed');
      assert.match(err.message, /HTTP 404/);
      return true;
    });
    const closed = await startRangeFileServer({});
    await closed.close();
    await assert.rejects(downloadFile(request('/m', { url: `${closed.url}/m` })), (err: unknown) => {
      assert.ok(err instanceof AppError && err.code === 'download_failed');
      assert.match(err.message, /ECONNREFUSED/);
      return true;
    });
  });

  it('works with an injected fetch port and an unknown size', async () => {
    const calls: string[] = [];
    const totals = new Set<number | null>();
    const res = await downloadFile(
      request('/anything', {
        bytes: null,
        // A chunked body: no Content-Length, so the size is known only at the end.
        fetch: async (url) => {
          calls.push(url);
          return new Response(new Blob([body]).stream(), { status: 200 });
        },
        onProgress: (_done, total) => totals.add(total),
      }),
    );
    assert.deepEqual(calls, [`${server.url}/anything`]);
    assert.deepEqual(res, { path: join(dir, 'model.onnx'), bytes: body.length, resumedFrom: 0 });
    assert.ok((await readFile(res.path)).equals(body));
    assert.deepEqual([...totals], [null]);
    assert.equal(server.requests.length, 0, 'the real network was not used');
  });
});

describe('parseContentRange', () => {
  it('parses start and total', () => {
    assert.deepEqual(parseContentRange('bytes 100-199/1000'), { start: 100, total: 1000 });
    assert.deepEqual(parseContentRange('bytes 5-9/*'), { start: 5, total: null });
    assert.equal(parseContentRange(null), null);
    assert.equal(parseContentRange('items 1-2/3'), null);
  });
});
