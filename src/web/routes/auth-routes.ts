/**
 * Sign-in, sign-up and sign-out. Sign-in answers one message for an unknown email and a wrong
 * password, pays for one scrypt either way, and is rate-limited per email + client IP.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeEmail } from '../../accounts/account-service.js';
import { AppError, isAppError } from '../../errors/app-error.js';
import { ANON_COOKIE, ANON_COOKIE_MAX_AGE_S, readCookie, SESSION_COOKIE } from '../auth/cookies.js';
import { anonymousBinding } from '../auth/csrf.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/password-hasher.js';
import { signInPage, signUpPage } from '../pages/auth-pages.js';
import { safeNext, sendPage, setCookie } from '../web-request.js';
import type { WebDeps, WebRoute } from '../web-route.js';
import { CsrfField, NoticeField } from './form-schemas.js';

const NONCE = /^[A-Za-z0-9_-]{22,64}$/;

const Credentials = Type.Object({
  email: Type.String({ maxLength: 320 }),
  password: Type.String({ maxLength: MAX_PASSWORD_LENGTH }),
  next: Type.Optional(Type.String({ maxLength: 100 })),
  _csrf: CsrfField,
});
type Credentials = Static<typeof Credentials>;
const SignInQuery = Type.Object({
  next: Type.Optional(Type.String({ maxLength: 100 })),
  notice: NoticeField,
});

/** The anonymous CSRF token for a signed-out form, setting the nonce cookie when missing. */
function anonymousToken(deps: WebDeps, request: FastifyRequest, reply: FastifyReply): string {
  let nonce = readCookie(request, ANON_COOKIE);
  if (!nonce || !NONCE.test(nonce)) {
    nonce = deps.web.randomNonce();
    setCookie(reply, request, deps.config, {
      name: ANON_COOKIE,
      value: nonce,
      maxAgeSeconds: ANON_COOKIE_MAX_AGE_S,
    });
  }
  return deps.web.csrf.issue(anonymousBinding(nonce));
}

function startSession(
  deps: WebDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
  next: unknown,
) {
  // Always a fresh session id, and whatever session this browser had before is ended, so no
  // cookie from before the sign-in (planted or left behind) survives it.
  deps.web.sessions.end(readCookie(request, SESSION_COOKIE));
  const { token, expiresAt } = deps.web.sessions.start(accountId);
  const maxAgeSeconds = Math.floor((expiresAt - deps.clock.now()) / 1000);
  setCookie(reply, request, deps.config, { name: SESSION_COOKIE, value: token, maxAgeSeconds });
  setCookie(reply, request, deps.config, { name: ANON_COOKIE, value: '', maxAgeSeconds: 0 });
  return reply.redirect(safeNext(next), 303);
}

export const authRoutes: WebRoute = (app, deps) => {
  const signupEnabled = deps.config.web.signupEnabled;
  const formState = (request: FastifyRequest, reply: FastifyReply, body?: Partial<Credentials>) => ({
    csrfToken: anonymousToken(deps, request, reply),
    signupEnabled,
    email: body?.email,
    next: safeNext(body?.next),
  });

  app.get('/account/sign-in', { schema: { querystring: SignInQuery } }, async (request, reply) => {
    const { next, notice } = request.query;
    if (request.webViewer) return reply.redirect(safeNext(next), 303);
    const info = notice === 'signed-out' ? 'You are signed out.' : null;
    return sendPage(reply, signInPage({ ...formState(request, reply), next: safeNext(next), info }));
  });

  app.post('/account/sign-in', { schema: { body: Credentials } }, async (request, reply) => {
    const body = request.body;
    const email = normalizeEmail(body.email);
    const attempt = await deps.web.loginLimiter.limit(`login:${email}:${request.ip}`);
    if (!attempt.allowed) {
      const wait = Math.max(1, Math.ceil((attempt.resetAt - deps.clock.now()) / 1000));
      reply.header('retry-after', String(wait));
      const error = `Too many sign-in attempts. Try again in ${Math.ceil(wait / 60)} minutes.`;
      return sendPage(reply, signInPage({ ...formState(request, reply, body), error }), 429);
    }
    const account = deps.accounts.getByEmail(email);
    const ok = await deps.web.passwords.verify(body.password, account?.passwordHash ?? null);
    if (!account || !ok) {
      const error = 'Incorrect email or password.';
      return sendPage(reply, signInPage({ ...formState(request, reply, body), error }), 401);
    }
    // Told only after the password proved who is asking.
    if (account.disabledAt !== null) {
      const error = 'This account is disabled. Contact the operator of this server.';
      return sendPage(reply, signInPage({ ...formState(request, reply, body), error }), 403);
    }
    return startSession(deps, request, reply, account.id, body.next);
  });

  if (!signupEnabled) return; // no routes at all: /account/sign-up is a plain 404

  app.get('/account/sign-up', async (request, reply) => {
    if (request.webViewer) return reply.redirect('/account', 303);
    return sendPage(
      reply,
      signUpPage({ ...formState(request, reply), minPasswordLength: MIN_PASSWORD_LENGTH }),
    );
  });

  app.post('/account/sign-up', { schema: { body: Credentials } }, async (request, reply) => {
    const body = request.body;
    const page = (error: string, status: number) =>
      sendPage(
        reply,
        signUpPage({ ...formState(request, reply, body), minPasswordLength: MIN_PASSWORD_LENGTH, error }),
        status,
      );
    const attempt = await deps.web.signupLimiter.limit(`signup:${request.ip}`);
    if (!attempt.allowed) return page('Too many sign-ups from this address. Try again later.', 429);
    if (body.password.length < MIN_PASSWORD_LENGTH) {
      return page(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`, 422);
    }
    try {
      const passwordHash = await deps.web.passwords.hash(body.password);
      const account = deps.accounts.create({ email: body.email, passwordHash });
      return startSession(deps, request, reply, account.id, body.next);
    } catch (err) {
      if (isAppError(err) && err.code === 'conflict')
        return page('An account with this email already exists.', 409);
      if (isAppError(err) && err.code === 'validation') return page('Enter a valid email address.', 422);
      throw err;
    }
  });
};

export const signOutRoute: WebRoute = (app, deps) => {
  app.post('/account/sign-out', async (request, reply) => {
    if (!request.webViewer) throw new AppError('unauthorized', 'Not signed in');
    deps.web.sessions.end(readCookie(request, SESSION_COOKIE));
    setCookie(reply, request, deps.config, { name: SESSION_COOKIE, value: '', maxAgeSeconds: 0 });
    return reply.redirect('/account/sign-in?notice=signed-out', 303);
  });
};
