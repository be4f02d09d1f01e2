/**
 * Rate limits: one interface, keyed by whatever the caller passes (account id + route).
 * Async so a shared-store implementation (Redis) can sit behind the same call.
 */
export interface RateLimitResult {
  allowed: boolean;
  /** Requests allowed per window. */
  limit: number;
  /** Left in this window after this call (0 when refused). */
  remaining: number;
  /** ms since epoch when the window resets. */
  resetAt: number;
}

export interface RateLimiter {
  limit(key: string, cost?: number): Promise<RateLimitResult>;
}
