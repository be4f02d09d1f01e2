/**
 * Per-request web state: who is signed in (resolved once, in the web plugin's preHandler) and
 * the helpers every web route uses to require a viewer, an admin, or to set cookies.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Account } from '../accounts/account-service.js';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import { cookieIsSecure, serializeCookie } from './auth/cookies.js';
import type { ActiveSession } from './auth/session-service.js';
import type { Viewer } from './html/layout.js';

export interface WebViewer {
  session: ActiveSession;
  /** Active (not disabled): a disabled account's session counts as signed out. */
  account: Account;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the web plugin's hook on web routes; null when signed out. */
    webViewer: WebViewer | null;
  }
}

/** The signed-in viewer, or null after the reply has been sent as a redirect to sign-in. */
export function viewerOrRedirect(
  request: FastifyRequest,
  reply: FastifyReply,
  next = '/account',
): WebViewer | null {
  if (request.webViewer) return request.webViewer;
  void reply.redirect(`/account/sign-in?next=${encodeURIComponent(next)}`, 303);
  return null;
}

/** For POST handlers: the CSRF check has already required a session, so this cannot fail silently. */
export function mustViewer(request: FastifyRequest): WebViewer {
  if (!request.webViewer) throw new AppError('unauthorized', 'Sign in first');
  return request.webViewer;
}

/** Admin pages answer 404 to everyone else, so their existence is not advertised. */
export function mustAdmin(request: FastifyRequest): WebViewer {
  const v = request.webViewer;
  if (!v?.account.isAdmin) throw new AppError('not_found', 'Not Found');
  return v;
}

export function pageViewer(v: WebViewer): Viewer & { accountId: string } {
  return {
    email: v.account.email,
    isAdmin: v.account.isAdmin,
    csrfToken: v.csrfToken,
    accountId: v.account.id,
  };
}

export function setCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  config: Pick<Config, 'web'>,
  cookie: { name: string; value: string; maxAgeSeconds: number },
): void {
  const secure = cookieIsSecure(config.web.secureCookies, request);
  // Several cookies can be set on one reply: append rather than replace.
  const prev = reply.getHeader('set-cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  reply.header('set-cookie', [
    ...list,
    serializeCookie(cookie.name, cookie.value, { maxAgeSeconds: cookie.maxAgeSeconds, secure }),
  ]);
}

/** Sends an HTML page with the headers every web page carries. */
export function sendPage(reply: FastifyReply, markup: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(markup);
}

/** Only these paths may be a post-sign-in destination, so `next` can never be an open redirect. */
const NEXT_PATHS = new Set([
  '/account',
  '/account/credits',
  '/account/usage',
  '/account/admin',
  '/playground',
]);
export function safeNext(next: unknown): string {
  return typeof next === 'string' && NEXT_PATHS.has(next) ? next : '/account';
}
