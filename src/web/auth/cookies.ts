/**
 * The two cookies the web app sets, parsed and serialised here rather than through a plugin so
 * the API's auth hook can read the session cookie without depending on plugin registration order.
 */
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'maskd_session';
/** Nonce for signed-out forms (see csrf.ts). */
export const ANON_COOKIE = 'maskd_anon';
export const ANON_COOKIE_MAX_AGE_S = 24 * 60 * 60;

export type SecureCookieSetting = 'auto' | 'true' | 'false';

export function readCookie(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * 'auto' marks cookies Secure when the request arrived over HTTPS. `request.protocol` honours
 * X-Forwarded-Proto only when the server was built with `trustProxy`, so a client cannot talk
 * a plain-HTTP server into setting cookies the browser would then drop.
 */
export function cookieIsSecure(
  setting: SecureCookieSetting,
  request: Pick<FastifyRequest, 'protocol'>,
): boolean {
  if (setting === 'true') return true;
  if (setting === 'false') return false;
  return request.protocol === 'https';
}

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

/** Always HttpOnly, SameSite=Lax, Path=/. A max age of 0 deletes the cookie. */
export function serializeCookie(name: string, value: string, opts: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`);
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
