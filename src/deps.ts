/**
 * The composition root: the one place that picks implementations (SQLite, local-disk blobs,
 * in-memory rate limits, the configured engine) and wires services together. Everything it
 * opens, its `close()` closes, in reverse order.
 *
 * @example
 *   const deps = await createDeps(loadConfig(process.env));
 *   const app = await buildApp(deps);
 *   …
 *   await app.close(); await deps.close();
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import { type AccountService, createAccountService } from './accounts/account-service.js';
import { type ApiKeyService, createApiKeyService } from './accounts/api-key-service.js';
import { type Clock, systemClock } from './clock/clock.js';
import type { Config } from './config/config.js';
import { type CreditService, createCreditService } from './credits/credit-service.js';
import { type Db, openDatabase } from './db/database.js';
import type { Engine } from './engine/index.js';
import { createFileSweeper, type FileSweeper } from './jobs/file-sweeper.js';
import { createIdempotencyKeys } from './jobs/idempotency-keys.js';
import { createJobRunner } from './jobs/job-runner.js';
import { createJobService, type JobService } from './jobs/job-service.js';
import { createJobStore } from './jobs/job-store.js';
import { createJobWorker, type JobWorker } from './jobs/job-worker.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { openEngine } from './models/open-engine.js';
import { cryptoRandom, type RandomSource } from './random/random-source.js';
import { createMemoryRateLimiter } from './rate-limit/memory-rate-limiter.js';
import type { RateLimiter } from './rate-limit/rate-limiter.js';
import type { BlobStore } from './storage/blob-store.js';
import { createDiskBlobStore } from './storage/disk-blob-store.js';
import { createUrlSigner, type UrlSigner } from './storage/signed-url.js';
import { loadOrCreateSigningSecret } from './storage/signing-secret.js';
import type { ScryptParams } from './web/auth/password-hasher.js';
import { createWebServices, type WebServices, type WebServicesOptions } from './web/web-services.js';

/** What the CLI's account commands and the web pages need: no engine, no worker. */
export interface AccountDeps {
  config: Config;
  clock: Clock;
  random: RandomSource;
  log: Logger;
  db: Db;
  accounts: AccountService;
  apiKeys: ApiKeyService;
  credits: CreditService;
  close(): Promise<void>;
}

export interface Deps extends AccountDeps {
  engine: Engine;
  blobs: BlobStore;
  signer: UrlSigner;
  rateLimiters: { single: RateLimiter; batch: RateLimiter };
  jobs: JobService;
  worker: JobWorker;
  sweeper: FileSweeper;
  metrics: Metrics;
  /** Sessions, CSRF, passwords, top-ups for the web pages; also the API's session-cookie auth. */
  web: WebServices;
}

/** Test and tool seams; anything left out is the real thing. */
export interface DepsOverrides {
  clock?: Clock;
  random?: RandomSource;
  engine?: Engine;
  log?: Logger;
  /** Cheaper password hashing for tests. */
  scrypt?: ScryptParams;
  /** Another top-up provider (docs/top-up-providers.md); default: the manual one. */
  topUp?: WebServicesOptions['topUp'];
}

export const DATABASE_FILE = 'maskd.sqlite';
/** How often expired masks are looked for; retention is counted from job completion. */
const SWEEP_INTERVAL_MS = 60_000;

export async function createAccountDeps(config: Config, overrides: DepsOverrides = {}): Promise<AccountDeps> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;
  const log = overrides.log ?? pino({ level: config.server.logLevel });
  const db = openDatabase(join(config.dataDir, DATABASE_FILE));
  const accounts = createAccountService({ db, clock, random });
  return {
    config,
    clock,
    random,
    log,
    db,
    accounts,
    apiKeys: createApiKeyService({ db, clock, random, accounts }),
    credits: createCreditService({ db, clock }),
    close: async () => {
      db.close();
    },
  };
}

/** Everything the HTTP API needs. Recovers interrupted jobs and starts the worker and sweeper. */
export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<Deps> {
  const base = await createAccountDeps(config, overrides);
  const { clock, random, log, db, credits } = base;
  let engine: Engine | undefined;
  try {
    engine = overrides.engine ?? (await openEngine(config));
    const secret =
      config.files.signingSecret ?? (await loadOrCreateSigningSecret({ dataDir: config.dataDir, random }));
    const blobs = createDiskBlobStore({ root: join(config.dataDir, 'blobs') });
    const signer = createUrlSigner({
      secret,
      clock,
      ttlSeconds: config.files.signedUrlTtlSeconds,
      publicUrl: config.server.publicUrl,
    });
    const store = createJobStore(db);
    let worker: JobWorker | undefined;
    const metrics = createMetrics({ engine, queueDepth: () => worker?.depth() ?? 0 });
    const runner = createJobRunner({
      store,
      credits,
      blobs,
      engine,
      clock,
      log,
      onInference: metrics.observeInference,
    });
    worker = createJobWorker({ store, runner, concurrency: config.engine.concurrency, log });
    const idempotencyKeys = createIdempotencyKeys({
      db,
      clock,
      random,
      ttlMs: config.idempotency.ttlSeconds * 1000,
    });
    const sweeper = createFileSweeper({
      store,
      blobs,
      clock,
      retentionMs: config.files.retentionSeconds * 1000,
      idempotencyKeys,
      log,
    });
    const windowMs = config.rateLimits.windowSeconds * 1000;
    const jobs = createJobService({
      store,
      credits,
      blobs,
      engine,
      runner,
      worker,
      idempotencyKeys,
      clock,
      random,
      creditsPerImage: config.credits.perImage,
      maxBatchFiles: config.limits.maxBatchFiles,
    });

    const web = await createWebServices({
      db,
      clock,
      random,
      accounts: base.accounts,
      credits,
      secret,
      config,
      scrypt: overrides.scrypt,
      topUp: overrides.topUp,
    });

    const recovered = { ...worker.recover(), releasedIdempotencyKeys: idempotencyKeys.releaseUnbound() };
    if (recovered.failed + recovered.requeued + recovered.releasedIdempotencyKeys > 0)
      log.info(recovered, 'recovered jobs from the previous run');
    sweeper.start(SWEEP_INTERVAL_MS);

    const ownEngine = engine;
    const ownWorker = worker;
    return {
      ...base,
      engine,
      blobs,
      signer,
      rateLimiters: {
        single: createMemoryRateLimiter({ clock, limit: config.rateLimits.single, windowMs }),
        batch: createMemoryRateLimiter({ clock, limit: config.rateLimits.batch, windowMs }),
      },
      jobs,
      worker,
      sweeper,
      metrics,
      web,
      async close() {
        // Drain first: running jobs still write masks and settle credits in the database.
        await ownWorker.close();
        await sweeper.stop();
        await ownEngine.close();
        await base.close();
      },
    };
  } catch (err) {
    await engine?.close();
    await base.close();
    throw err;
  }
}
