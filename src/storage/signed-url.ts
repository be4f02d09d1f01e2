/**
 * Signed download URLs: `<publicUrl><path>?expires=<unix s>&sig=<base64url HMAC-SHA256>`, the
 * HMAC taken over the path and the expiry, so neither can be changed without the secret.
 * Verification compares digests with `timingSafeEqual` and answers only yes or no.
 *
 * @example
 *   const url = signer.sign('/v1/files/abc'); // https://host/v1/files/abc?expires=…&sig=…
 *   signer.verify('/v1/files/abc', req.query.expires, req.query.sig); // true | false
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock/clock.js';

export interface UrlSigner {
  /** Absolute URL valid for the configured TTL from now. */
  sign(path: string): string;
  /** True only for an untampered signature whose expiry has not passed. */
  verify(path: string, expires: string | undefined, sig: string | undefined): boolean;
}

const EXPIRES = /^\d{1,12}$/;

export function createUrlSigner(opts: {
  secret: string;
  clock: Clock;
  ttlSeconds: number;
  /** No trailing slash. */
  publicUrl: string;
}): UrlSigner {
  const mac = (path: string, expires: string) =>
    createHmac('sha256', opts.secret).update(`${path}\n${expires}`).digest();

  return {
    sign(path) {
      const expires = String(Math.floor(opts.clock.now() / 1000) + opts.ttlSeconds);
      return `${opts.publicUrl}${path}?expires=${expires}&sig=${mac(path, expires).toString('base64url')}`;
    },
    verify(path, expires, sig) {
      if (expires === undefined || sig === undefined || !EXPIRES.test(expires)) return false;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(path, expires);
      // Length first: timingSafeEqual throws on unequal lengths, and a digest's length is public.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      return opts.clock.now() < Number(expires) * 1000;
    },
  };
}
