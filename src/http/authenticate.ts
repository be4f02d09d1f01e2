/**
 * `Authorization: Bearer sk-live-…` → `request.account`. A missing, malformed, unknown or
 * revoked key gets one and the same 401, so a caller learns nothing about which it was.
 * A valid key of a disabled account gets 403: the key is right, and the owner needs to know
 * why it stopped working.
 */
import type { FastifyRequest } from 'fastify';
import type { Account } from '../accounts/account-service.js';
import type { ApiKeyService } from '../accounts/api-key-service.js';
import { AppError } from '../errors/app-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on routes that use it; null elsewhere. */
    account: Account | null;
  }
}

const UNAUTHORIZED_DETAIL = 'Invalid or missing API key';
const BEARER = /^Bearer +(\S+) *$/i;

/** The authenticated account; for handlers behind the `authenticate` hook. */
export function accountOf(request: FastifyRequest): Account {
  if (!request.account) throw new Error('route is missing the authenticate hook');
  return request.account;
}

/**
 * `sessionAuth` (the web app's, src/web/session-auth.ts) is tried only when there is no
 * Authorization header: the session cookie plus the `X-CSRF-Token` header, or a 403 on a bad token.
 */
export function createAuthenticate(
  apiKeys: ApiKeyService,
  sessionAuth?: (request: FastifyRequest) => Account | null,
) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    let account: Account | null = null;
    if (request.headers.authorization === undefined && sessionAuth) {
      account = sessionAuth(request);
    } else {
      const match = BEARER.exec(request.headers.authorization ?? '');
      account = (match ? apiKeys.authenticate(match[1]) : null)?.account ?? null;
    }
    if (!account) throw new AppError('unauthorized', UNAUTHORIZED_DETAIL);
    if (account.disabledAt !== null) throw new AppError('forbidden', 'This account is disabled');
    request.account = account;
  };
}
