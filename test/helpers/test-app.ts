/**
 * The real stack for HTTP tests: a temp data dir with a real SQLite file and real blob dirs,
 * config through `loadConfig`, a ManualClock, and the stub engine unless a test passes another.
 * Reusable by any suite that needs an app and a paying customer (`createCustomer`).
 *
 * @example
 *   const t = await createTestApp({ env: { MASKD_MAX_UPLOAD_BYTES: '1000' } });
 *   const { key } = t.createCustomer({ credits: 3 });
 *   const res = await t.app.inject({ method: 'POST', url: '/v1/services/image-segmentation?box=[1,1,5,5]',
 *     headers: { authorization: `Bearer ${key}`, ...form.headers }, payload: form.payload });
 *   await t.close();
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account } from '../../src/accounts/account-service.js';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock/clock.js';
import { type Config, loadConfig } from '../../src/config/config.js';
import { createDeps, type Deps, type DepsOverrides } from '../../src/deps.js';
import { encodeGrayPng } from '../../src/engine/image-codec.js';
import { createStubEngine, type Engine } from '../../src/engine/index.js';
import type { App } from '../../src/http/app-type.js';

export interface TestApp {
  app: App;
  deps: Deps;
  config: Config;
  clock: ManualClock;
  dataDir: string;
  /** A new account with `credits` (default 10) and an API key. */
  createCustomer(opts?: { credits?: number; email?: string }): { account: Account; key: string };
  /** Closes app and deps; keeps the data dir when `keepData` (for restart tests). */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  /** Extra MASKD_* variables. */
  env?: Record<string, string>;
  /** Reuse a data dir (restart tests). Default: a fresh temp dir. */
  dataDir?: string;
  clock?: ManualClock;
  /** Build a custom engine (e.g. a slow stub); default: the stub engine from config. */
  engine?: (config: Config) => Engine;
  overrides?: DepsOverrides;
}

export const PUBLIC_URL = 'http://maskd.test';
let customers = 0;

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'maskd-test-')));
  const config = loadConfig({
    MASKD_DATA_DIR: dataDir,
    MASKD_ENGINE: 'stub',
    MASKD_LOG_LEVEL: 'silent',
    MASKD_PUBLIC_URL: PUBLIC_URL,
    ...opts.env,
  });
  const clock = opts.clock ?? new ManualClock();
  // The real engine (MASKD_ENGINE=onnx) comes from createDeps; otherwise a stub unless given.
  const engine =
    opts.engine?.(config) ??
    (config.engine.kind === 'stub' ? createStubEngine({ maxPixels: config.limits.maxPixels }) : undefined);
  const deps = await createDeps(config, { clock, ...(engine ? { engine } : {}), ...opts.overrides });
  const app = await buildApp(deps);
  return {
    app,
    deps,
    config,
    clock,
    dataDir,
    createCustomer({ credits = 10, email } = {}) {
      const account = deps.accounts.create({
        email: email ?? `customer${++customers}-${process.pid}@example.com`,
      });
      if (credits > 0) deps.credits.grant(account.id, credits, 'test');
      const { key } = deps.apiKeys.create({ accountId: account.id, name: 'test' });
      return { account, key };
    },
    async close({ keepData = false } = {}) {
      await app.close();
      await deps.close();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body, byte for byte as a browser or curl would send it. */
export function multipartBody(parts: FormPart[], boundary = `----maskdtest${Date.now().toString(16)}`) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      p.filename === undefined
        ? `form-data; name="${p.name}"`
        : `form-data; name="${p.name}"; filename="${p.filename}"`;
    const type =
      p.filename === undefined ? '' : `Content-Type: ${p.contentType ?? 'application/octet-stream'}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A mid-grey PNG of the given size. */
export function grayPng(width = 64, height = 48): Promise<Buffer> {
  return encodeGrayPng(new Uint8Array(width * height).fill(128), width, height);
}

/** Starts like a PNG, then garbage: passes the sniff, fails the header probe. */
export const CORRUPT_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 7),
]);
export const GIF = Buffer.from(
  'GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;',
  'latin1',
);

/** POST one image to the single endpoint. */
export async function postImage(
  t: TestApp,
  key: string | null,
  opts: {
    query?: string;
    image?: Buffer;
    filename?: string;
    field?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const image = opts.image ?? (await grayPng());
  const form = multipartBody([
    {
      name: opts.field ?? 'file',
      filename: opts.filename ?? 'photo.png',
      contentType: 'image/png',
      data: image,
    },
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/v1/services/image-segmentation?${opts.query ?? 'box=[1,1,30,30]'}`,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...form.headers, ...opts.headers },
    payload: form.payload,
  });
}

/** POST several images to the batch endpoint. */
export async function postBatch(
  t: TestApp,
  key: string,
  images: Buffer[],
  query = 'points=[[10,10]]&labels=[1]',
  headers: Record<string, string> = {},
) {
  const form = multipartBody(
    images.map((data, i) => ({ name: 'files', filename: `img${i}.png`, contentType: 'image/png', data })),
  );
  return t.app.inject({
    method: 'POST',
    url: `/v1/services/image-segmentation/batch?${query}`,
    headers: { authorization: `Bearer ${key}`, ...form.headers, ...headers },
    payload: form.payload,
  });
}
