/**
 * The session cookie → who is signed in, read in one place for both consumers:
 *
 * - the web pages' hook (register-web-routes.ts), which treats a disabled account as signed out;
 * - the public API's auth hook, so the playground (and any page of this origin) can call
 *   `POST /v1/services/image-segmentation` without handling an API key.
 *
 * For the API a cookie alone is never enough: the request must also carry the session's CSRF
 * token in the `X-CSRF-Token` header. Browsers attach cookies to cross-site form posts, but a
 * cross-site page cannot read the token or set a custom header without a CORS preflight maskd
 * never approves.
 *
 * @example
 *   const readSession = createSessionReader({ sessions, accounts });
 *   const sessionAuth = createSessionAuthenticator({ readSession, csrf });
 *   const account = sessionAuth(request); // Account | null; throws `forbidden` on a CSRF failure
 */
import type { FastifyRequest } from 'fastify';
import type { Account, AccountService } from '../accounts/account-service.js';
import { AppError } from '../errors/app-error.js';
import { readCookie, SESSION_COOKIE } from './auth/cookies.js';
import { type Csrf, sessionBinding } from './auth/csrf.js';
import type { ActiveSession, SessionService } from './auth/session-service.js';

export const CSRF_HEADER = 'x-csrf-token';

type CookieRequest = Pick<FastifyRequest, 'headers'>;

export interface SignedIn {
  session: ActiveSession;
  /** As stored: possibly disabled. Each consumer decides what a disabled account may do. */
  account: Account;
}

/** The live session named by the request's cookie and its account, or null. */
export type SessionReader = (request: CookieRequest) => SignedIn | null;

export function createSessionReader(opts: {
  sessions: Pick<SessionService, 'resolve'>;
  accounts: Pick<AccountService, 'get'>;
}): SessionReader {
  return function readSession(request) {
    const session = opts.sessions.resolve(readCookie(request, SESSION_COOKIE));
    if (!session) return null;
    const account = opts.accounts.get(session.accountId);
    return account ? { session, account } : null;
  };
}

export type SessionAuthenticator = (request: CookieRequest) => Account | null;

export function createSessionAuthenticator(opts: {
  readSession: SessionReader;
  csrf: Csrf;
}): SessionAuthenticator {
  return function authenticateSession(request) {
    const signedIn = opts.readSession(request);
    if (!signedIn) return null;
    if (!opts.csrf.verify(sessionBinding(signedIn.session.idHash), request.headers[CSRF_HEADER])) {
      throw new AppError('forbidden', 'Missing or invalid CSRF token');
    }
    // A disabled account is left to the caller, as with an API key: it answers 403 with a reason.
    return signedIn.account;
  };
}
