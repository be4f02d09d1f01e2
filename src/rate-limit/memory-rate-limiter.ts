/**
 * Fixed-window limiter held in process memory, windows aligned to multiples of `windowMs` on the
 * injected clock. Good for one process; several replicas need the shared-store implementation.
 *
 * A fixed window can let up to 2× the limit through around a boundary; that is the accepted
 * price of O(1) memory per key and a reset time clients can rely on.
 *
 * @example
 *   const limiter = createMemoryRateLimiter({ clock, limit: 60, windowMs: 60_000 });
 *   const r = await limiter.limit(`single:${accountId}`); // { allowed, limit, remaining, resetAt }
 */
import type { Clock } from '../clock/clock.js';
import type { RateLimiter } from './rate-limiter.js';

/** Expired windows are dropped in one pass once this many keys pile up. */
const PRUNE_AT = 10_000;

export function createMemoryRateLimiter(opts: {
  clock: Clock;
  limit: number;
  windowMs: number;
}): RateLimiter {
  const windows = new Map<string, { resetAt: number; used: number }>();

  return {
    async limit(key, cost = 1) {
      const now = opts.clock.now();
      const resetAt = (Math.floor(now / opts.windowMs) + 1) * opts.windowMs;
      let w = windows.get(key);
      if (!w || w.resetAt !== resetAt) {
        if (windows.size >= PRUNE_AT) {
          for (const [k, v] of windows) if (v.resetAt <= now) windows.delete(k);
        }
        w = { resetAt, used: 0 };
        windows.set(key, w);
      }
      const allowed = w.used + cost <= opts.limit;
      if (allowed) w.used += cost;
      return { allowed, limit: opts.limit, remaining: Math.max(0, opts.limit - w.used), resetAt };
    },
  };
}
