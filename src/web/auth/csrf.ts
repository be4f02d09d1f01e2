/**
 * CSRF tokens as an HMAC over what they protect, so nothing extra is stored:
 *
 * - signed in: bound to the session (`s:<session id hash>`), a synchronizer token that changes
 *   with every new session;
 * - signed out (sign-in and sign-up forms, against login CSRF): bound to a random nonce kept in
 *   a short-lived cookie (`a:<nonce>`), i.e. double-submit where the form value is the HMAC of
 *   the cookie, not a copy of it.
 *
 * Verification is constant-time. A token from one binding never verifies for another.
 *
 * @example
 *   const csrf = createCsrf({ key });
 *   const t = csrf.issue(`s:${session.idHash}`);
 *   csrf.verify(`s:${session.idHash}`, body._csrf); // true
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Csrf {
  issue(binding: string): string;
  verify(binding: string, token: unknown): boolean;
}

export function createCsrf(opts: { key: Buffer }): Csrf {
  const issue = (binding: string) =>
    createHmac('sha256', opts.key).update('maskd-csrf-v1\0').update(binding).digest('base64url');
  return {
    issue,
    verify(binding, token) {
      if (typeof token !== 'string' || token.length === 0) return false;
      const expected = Buffer.from(issue(binding));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export const sessionBinding = (idHash: string) => `s:${idHash}`;
export const anonymousBinding = (nonce: string) => `a:${nonce}`;
