/**
 * The web app (account settings, admin, playground) on the API's server. One call from
 * `buildApp`: `await registerWebRoutes(app, deps)`.
 *
 * Web routes live in their own encapsulated context, so what they add never touches the API:
 * a urlencoded form parser, the viewer + CSRF hook, HTML error pages, security headers.
 *
 * Every POST must carry a CSRF token (form field `_csrf` or header `X-CSRF-Token`) bound to the
 * session, or for signed-out forms to the anonymous nonce cookie; anything else is a 403.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../errors/app-error.js';
import type { App } from '../http/app-type.js';
import { appErrorReply } from '../http/error-mapping.js';
import { ANON_COOKIE, readCookie } from './auth/cookies.js';
import { anonymousBinding, sessionBinding } from './auth/csrf.js';
import { errorPage } from './pages/error-page.js';
import { adminRoutes } from './routes/admin-routes.js';
import { authRoutes, signOutRoute } from './routes/auth-routes.js';
import { creditRoutes } from './routes/credit-routes.js';
import { keyRoutes } from './routes/key-routes.js';
import { playgroundRoutes } from './routes/playground-routes.js';
import { staticRoutes } from './routes/static-routes.js';
import { usageRoutes } from './routes/usage-routes.js';
import { CSRF_HEADER } from './session-auth.js';
import { pageViewer, sendPage, type WebViewer } from './web-request.js';
import type { WebDeps, WebRoute } from './web-route.js';

/** Every web page route, in one visible list. */
const WEB_ROUTES: readonly WebRoute[] = [
  authRoutes,
  signOutRoute,
  keyRoutes,
  creditRoutes,
  usageRoutes,
  adminRoutes,
  playgroundRoutes,
];

/** Forms are small; anything bigger is not one of ours. */
const FORM_BODY_LIMIT = 16 * 1024;

/**
 * Pages load only this origin's script and style: no inline script or style anywhere, so an
 * escaping slip still could not run code. `blob:` lets the playground show downloaded masks.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function registerWebRoutes(app: App, deps: WebDeps): Promise<void> {
  await app.register(async (assets) => staticRoutes(assets, deps));
  // A payment provider's webhook: outside the pages' context, so no session or CSRF applies.
  const { topUp } = deps.web;
  if (topUp.routes) await app.register(async (provider) => topUp.routes?.(provider));
  await app.register(async (web) => {
    web.decorateRequest('webViewer', null);
    web.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    web.addHook('preValidation', async (request) => {
      request.webViewer = resolveViewer(request, deps);
      if (request.method !== 'GET' && request.method !== 'HEAD') checkCsrf(request, deps);
    });
    web.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header('content-security-policy', CSP);
        reply.header('referrer-policy', 'same-origin');
        reply.header('x-frame-options', 'DENY');
      }
      return payload;
    });
    web.setErrorHandler((err: FastifyError, request, reply) => htmlError(err, request, reply));
    for (const route of WEB_ROUTES) route(web, deps);
  });
}

/** Resolved on every request, so a disabled account or a demoted admin counts at once. */
function resolveViewer(request: FastifyRequest, deps: WebDeps): WebViewer | null {
  const signedIn = deps.web.readSession(request);
  if (!signedIn || signedIn.account.disabledAt !== null) return null;
  const { session, account } = signedIn;
  return { session, account, csrfToken: deps.web.csrf.issue(sessionBinding(session.idHash)) };
}

function checkCsrf(request: FastifyRequest, deps: WebDeps): void {
  const body = request.body as Record<string, unknown> | undefined;
  const token = body?._csrf ?? request.headers[CSRF_HEADER];
  const viewer = request.webViewer;
  const nonce = readCookie(request, ANON_COOKIE);
  const ok = viewer
    ? deps.web.csrf.verify(sessionBinding(viewer.session.idHash), token)
    : nonce !== undefined && deps.web.csrf.verify(anonymousBinding(nonce), token);
  if (!ok) throw Object.assign(new Error('CSRF check failed'), { statusCode: 403, code: 'MASKD_CSRF' });
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Signed out',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  422: 'Check the form',
  429: 'Slow down',
};

function htmlError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let status: number;
  let message = '';
  if (isAppError(err)) {
    status = appErrorReply(err, request.id).status;
    message = err.message;
  } else if (err.code === 'MASKD_CSRF') {
    status = 403;
    message = 'This form has expired or did not come from this site. Go back, reload the page and try again.';
  } else if (err.validation) {
    status = 400;
    message = 'The form was incomplete or malformed.';
  } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    status = err.statusCode;
    message = 'The request could not be processed.';
  } else {
    status = 500;
  }
  // Server faults show no detail, only the request id that finds it in the log.
  if (status >= 500) {
    request.log.error({ err }, 'web request failed');
    message = `Something went wrong. Request id: ${request.id}`;
  }
  const viewer = request.webViewer ? pageViewer(request.webViewer) : null;
  const title = TITLES[status] ?? 'Error';
  return sendPage(reply, errorPage({ status, title, message, viewer }), status);
}
