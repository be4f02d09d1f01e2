/**
 * Per-account, per-route rate limiting after authentication. Every answer from a limited route
 * carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the
 * window resets, as in the IETF RateLimit header draft); a refusal adds `Retry-After`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock/clock.js';
import { AppError } from '../errors/app-error.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { accountOf } from './authenticate.js';

export function createRateLimitHook(opts: { limiter: RateLimiter; clock: Clock; scope: string }) {
  return async function rateLimit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const r = await opts.limiter.limit(`${opts.scope}:${accountOf(request).id}`);
    const resetSeconds = Math.max(0, Math.ceil((r.resetAt - opts.clock.now()) / 1000));
    reply.headers({
      'ratelimit-limit': String(r.limit),
      'ratelimit-remaining': String(r.remaining),
      'ratelimit-reset': String(resetSeconds),
    });
    if (!r.allowed) {
      throw new AppError('rate_limited', 'Rate limit exceeded', {
        retryAfterSeconds: Math.max(1, resetSeconds),
      });
    }
  };
}
