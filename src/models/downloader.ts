/**
 * Resumable, verified download of one file.
 *
 * Bytes go to `<dest>.part`, appended as they arrive; a later call resumes with
 * `Range: bytes=<part size>-`. The sha256 is computed while streaming (after hashing the
 * partial prefix already on disk), checked with the size, and only then is the file renamed
 * to `dest`, so `dest` never holds a partial or unverified file.
 *
 * The network is a port (`fetch`-shaped) so tests and mirrors can swap it; the filesystem is
 * used directly on the paths the caller chose (tests point them at temp dirs).
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { AppError } from '../errors/app-error.js';

export type FetchPort = (
  url: string,
  init: { headers: Record<string, string>; signal?: AbortSignal },
) => Promise<Response>;

export interface DownloadRequest {
  url: string;
  /** Final path; written only once verified. */
  dest: string;
  /** Lower-case hex. */
  sha256: string;
  /** Exact size when known; otherwise the server's Content-Length / Content-Range is used. */
  bytes: number | null;
  fetch?: FetchPort;
  /** Called as bytes land (including the resumed prefix). `total` null: server did not say. */
  onProgress?: (done: number, total: number | null) => void;
  signal?: AbortSignal;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  /** Bytes already on disk from an earlier attempt (0 for a fresh download). */
  resumedFrom: number;
}

/**
 * @throws AppError `download_failed` (network, HTTP status, cut connection: the .part is kept
 *   so the next call resumes) or `checksum_mismatch` (the .part is deleted).
 */
export async function downloadFile(req: DownloadRequest): Promise<DownloadResult> {
  const part = `${req.dest}.part`;
  // A resumed download that fails verification gets one clean retry: the prefix on disk may be
  // from an older version of the file, which no amount of resuming can fix.
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptDownload(req, part);
    if (outcome.ok) {
      await rename(part, req.dest);
      return { path: req.dest, bytes: outcome.bytes, resumedFrom: outcome.resumedFrom };
    }
    await rm(part, { force: true });
    if (outcome.resumedFrom === 0 || attempt > 0) throw outcome.error;
  }
}

type Outcome =
  | { ok: true; bytes: number; resumedFrom: number }
  | { ok: false; error: AppError; resumedFrom: number };

async function attemptDownload(req: DownloadRequest, part: string): Promise<Outcome> {
  let have = await sizeOf(part);
  if (req.bytes !== null && have > req.bytes) {
    await rm(part, { force: true }); // longer than the real file: not ours
    have = 0;
  }
  let hash = createHash('sha256');
  if (have > 0) await hashFile(part, hash);

  const res = await get(req, have > 0 ? { Range: `bytes=${have}-` } : {});
  let start: number;
  let total: number | null;
  let body = true;
  if (res.status === 416 && have > 0) {
    // Nothing left past our offset: the partial file is probably complete already.
    await res.body?.cancel();
    body = false;
    start = have;
    total = req.bytes ?? have;
  } else if (res.status === 206 && have > 0) {
    const range = parseContentRange(res.headers.get('content-range'));
    if (range === null || range.start !== have) {
      await res.body?.cancel();
      const error = fail(
        req.url,
        `server answered the range request with ${res.headers.get('content-range')}`,
      );
      return { ok: false, error, resumedFrom: have };
    }
    start = have;
    total = range.total ?? req.bytes;
  } else if (res.status === 200) {
    // Fresh download, or a server that ignores Range: either way the body starts at byte 0.
    start = 0;
    if (have > 0) hash = createHash('sha256');
    const length = Number(res.headers.get('content-length') ?? Number.NaN);
    total = Number.isFinite(length) ? length : req.bytes;
  } else {
    await res.body?.cancel();
    throw fail(req.url, `HTTP ${res.status} ${res.statusText}`.trim());
  }
  if (req.bytes !== null && total !== null && total !== req.bytes) {
    await res.body?.cancel();
    const error = mismatch(req.dest, `the server has ${total} bytes, the published size is ${req.bytes}`);
    return { ok: false, error, resumedFrom: start };
  }

  const done = body ? await writeBody(req, res, part, start, total, hash) : have;
  const expected = req.bytes ?? total;
  if (expected !== null && done < expected) {
    // The server closed cleanly but early; keep what we have for the next attempt.
    throw fail(req.url, `got ${done} of ${expected} bytes; run the command again to resume`);
  }
  const digest = hash.digest('hex');
  if (digest !== req.sha256 || (expected !== null && done !== expected)) {
    const error = mismatch(req.dest, `sha256 is ${digest}, expected ${req.sha256} (${done} bytes)`);
    return { ok: false, error, resumedFrom: start };
  }
  return { ok: true, bytes: done, resumedFrom: start };
}

/** Append the body to the .part file; returns the file's length afterwards. */
async function writeBody(
  req: DownloadRequest,
  res: Response,
  part: string,
  start: number,
  total: number | null,
  hash: Hash,
): Promise<number> {
  const file = await open(part, start === 0 ? 'w' : 'a');
  let done = start;
  req.onProgress?.(done, total);
  try {
    if (res.body === null) return done;
    for await (const chunk of res.body) {
      // Awaiting each write keeps the .part an exact prefix of the file if we die mid-way.
      await file.write(chunk);
      hash.update(chunk);
      done += chunk.length;
      req.onProgress?.(done, total);
    }
  } catch (err) {
    if (req.signal?.aborted) throw fail(req.url, 'cancelled; run the command again to resume', err);
    const of = total === null ? '' : ` of ${total}`;
    throw fail(req.url, `connection lost after ${done}${of} bytes; run the command again to resume`, err);
  } finally {
    await file.close();
  }
  return done;
}

async function get(req: DownloadRequest, headers: Record<string, string>): Promise<Response> {
  const fetchPort: FetchPort = req.fetch ?? ((url, init) => fetch(url, init));
  try {
    return await fetchPort(req.url, { headers, ...(req.signal ? { signal: req.signal } : {}) });
  } catch (err) {
    // undici reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw fail(req.url, cause ?? (err as Error).message, err);
  }
}

/** `bytes 100-199/1000` → { start: 100, total: 1000 }; `*` total → null. */
export function parseContentRange(header: string | null): { start: number; total: number | null } | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (m === null) return null;
  return { start: Number(m[1]), total: m[3] === '*' ? null : Number(m[3]) };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Feed a file into a running hash (not finished: the rest of the download follows). */
async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

const fail = (url: string, why: string, cause?: unknown) =>
  new AppError('download_failed', `download of ${url} failed: ${why}`, {}, { cause });

const mismatch = (dest: string, why: string) =>
  new AppError('checksum_mismatch', `${dest}: downloaded file does not match the published checksum: ${why}`);
