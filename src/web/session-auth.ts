/**
 * Session-cookie authentication for the public API, so the playground (and any page of this
 * origin) can call `POST /v1/services/image-segmentation` without handling an API key.
 *
 * A cookie alone is never enough: the request must also carry the session's CSRF token in the
 * `X-CSRF-Token` header. Browsers attach cookies to cross-site form posts, but a cross-site page
 * cannot read the token or set a custom header without a CORS preflight maskd never approves.
 *
 * @example
 *   const sessionAuth = createSessionAuthenticator({ sessions, csrf, accounts });
 *   const account = sessionAuth(request); // Account | null; throws `forbidden` on a CSRF failure
 */
import type { FastifyRequest } from 'fastify';
import type { Account, AccountService } from '../accounts/account-service.js';
import { AppError } from '../errors/app-error.js';
import { readCookie, SESSION_COOKIE } from './auth/cookies.js';
import { type Csrf, sessionBinding } from './auth/csrf.js';
import type { SessionService } from './auth/session-service.js';

export const CSRF_HEADER = 'x-csrf-token';

export type SessionAuthenticator = (request: Pick<FastifyRequest, 'headers'>) => Account | null;

export function createSessionAuthenticator(opts: {
  sessions: SessionService;
  csrf: Csrf;
  accounts: Pick<AccountService, 'get'>;
}): SessionAuthenticator {
  return function authenticateSession(request) {
    const session = opts.sessions.resolve(readCookie(request, SESSION_COOKIE));
    if (!session) return null;
    const account = opts.accounts.get(session.accountId);
    if (!account) return null;
    if (!opts.csrf.verify(sessionBinding(session.idHash), request.headers[CSRF_HEADER])) {
      throw new AppError('forbidden', 'Missing or invalid CSRF token');
    }
    // A disabled account is left to the caller, as with an API key: it answers 403 with a reason.
    return account;
  };
}
