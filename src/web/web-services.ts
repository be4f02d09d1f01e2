/**
 * The web app's own services, built once from the app's shared ports. Everything account-related
 * (accounts, keys, credits, jobs) stays in the services the API uses; this adds only what the
 * browser needs: sessions, CSRF, password hashing, login throttling, top-ups and usage views.
 *
 * @example
 *   const web = await createWebServices({ db, clock, random, credits, accounts, secret, config });
 */
import { createHmac } from 'node:crypto';
import type { AccountService } from '../accounts/account-service.js';
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { CreditService } from '../credits/credit-service.js';
import type { Db } from '../db/database.js';
import type { RandomSource } from '../random/random-source.js';
import { createMemoryRateLimiter } from '../rate-limit/memory-rate-limiter.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { type Csrf, createCsrf } from './auth/csrf.js';
import { createScryptHasher, type PasswordHasher, type ScryptParams } from './auth/password-hasher.js';
import { createSealedFlash, type SealedFlash } from './auth/sealed-flash.js';
import { createSessionService, type SessionService } from './auth/session-service.js';
import { createSqliteSessionStore } from './auth/sqlite-session-store.js';
import {
  createSessionAuthenticator,
  createSessionReader,
  type SessionAuthenticator,
  type SessionReader,
} from './session-auth.js';
import { loadStaticAssets, type StaticAssets } from './static-assets.js';
import { createManualTopUpProvider } from './top-up/manual-top-up-provider.js';
import type { TopUpProvider } from './top-up/top-up-provider.js';
import { createTopUpRequests, type TopUpRequests } from './top-up/top-up-requests.js';
import { createUsageQueries, type UsageQueries } from './usage/usage-queries.js';

export interface WebServices {
  sessions: SessionService;
  csrf: Csrf;
  passwords: PasswordHasher;
  /** Keyed `login:<email>:<ip>`; one unit per attempt. */
  loginLimiter: RateLimiter;
  /** Keyed `signup:<ip>`, so one client cannot mint accounts in a loop. */
  signupLimiter: RateLimiter;
  flash: SealedFlash;
  topUpRequests: TopUpRequests;
  topUp: TopUpProvider;
  usage: UsageQueries;
  assets: StaticAssets;
  /** 128 random bits, base64url: the signed-out CSRF nonce. */
  randomNonce(): string;
  /** The session cookie → session + account; the pages' viewer and `authenticateSession` both use it. */
  readSession: SessionReader;
  /** For the API's auth hook: session cookie + CSRF header as an alternative to a Bearer key. */
  authenticateSession: SessionAuthenticator;
}

/** Attempts per email+IP are counted over this window; `config.rateLimits.login` is the cap. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const SIGNUPS_PER_IP_PER_HOUR = 20;
const HOUR_MS = 60 * 60 * 1000;

export interface WebServicesOptions {
  db: Db;
  clock: Clock;
  random: RandomSource;
  accounts: AccountService;
  credits: CreditService;
  /** The server's signing secret; the CSRF and flash keys are derived from it, one per purpose. */
  secret: string;
  config: Pick<Config, 'rateLimits'>;
  /** Tests pass cheap parameters; production uses the default. */
  scrypt?: ScryptParams;
  /** A payment provider's factory (docs/top-up-providers.md); default: the manual provider. */
  topUp?: (requests: TopUpRequests) => TopUpProvider;
}

const deriveKey = (secret: string, purpose: string) => createHmac('sha256', secret).update(purpose).digest();

export async function createWebServices(opts: WebServicesOptions): Promise<WebServices> {
  const { db, clock, random } = opts;
  const sessions = createSessionService({ store: createSqliteSessionStore({ db }), clock, random });
  const csrf = createCsrf({ key: deriveKey(opts.secret, 'maskd web csrf v1') });
  const topUpRequests = createTopUpRequests({ db, clock, random, credits: opts.credits });
  const readSession = createSessionReader({ sessions, accounts: opts.accounts });
  return {
    sessions,
    csrf,
    passwords: createScryptHasher({ params: opts.scrypt, random }),
    loginLimiter: createMemoryRateLimiter({
      clock,
      limit: opts.config.rateLimits.login,
      windowMs: LOGIN_WINDOW_MS,
    }),
    signupLimiter: createMemoryRateLimiter({ clock, limit: SIGNUPS_PER_IP_PER_HOUR, windowMs: HOUR_MS }),
    flash: createSealedFlash({ key: deriveKey(opts.secret, 'maskd web flash v1'), clock, random }),
    topUpRequests,
    topUp: (opts.topUp ?? ((requests) => createManualTopUpProvider({ requests })))(topUpRequests),
    usage: createUsageQueries({ db }),
    assets: await loadStaticAssets(),
    randomNonce: () => random.bytes(16).toString('base64url'),
    readSession,
    authenticateSession: createSessionAuthenticator({ readSession, csrf }),
  };
}
