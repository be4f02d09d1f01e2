/**
 * One-shot messages that must survive a POST → redirect → GET without being stored anywhere:
 * the new API key's secret travels in a short-lived cookie, sealed with AES-256-GCM and bound to
 * the session (as associated data), and is cleared by the page that shows it. Reloading that
 * page finds no cookie, so the secret is shown exactly once, and no server table ever holds it.
 *
 * @example
 *   const sealed = flash.seal(session.idHash, { name, secret }); // → Set-Cookie maskd_flash
 *   flash.open(session.idHash, cookieValue); // → { name, secret } | null
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Clock } from '../../clock/clock.js';
import type { RandomSource } from '../../random/random-source.js';

export const FLASH_COOKIE = 'maskd_flash';
/** Long enough for the redirect, short enough that an abandoned one dies quickly. */
export const FLASH_TTL_MS = 2 * 60 * 1000;

export interface NewKeyFlash {
  name: string;
  secret: string;
}

export interface SealedFlash {
  seal(sessionIdHash: string, value: NewKeyFlash): string;
  /** null when missing, tampered with, for another session, or expired. */
  open(sessionIdHash: string, sealed: string | undefined): NewKeyFlash | null;
}

export function createSealedFlash(opts: { key: Buffer; clock: Clock; random: RandomSource }): SealedFlash {
  if (opts.key.length !== 32) throw new Error('flash key must be 32 bytes');
  return {
    seal(sessionIdHash, value) {
      const iv = opts.random.bytes(12);
      const cipher = createCipheriv('aes-256-gcm', opts.key, iv);
      cipher.setAAD(Buffer.from(sessionIdHash));
      const plain = JSON.stringify({ ...value, exp: opts.clock.now() + FLASH_TTL_MS });
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sessionIdHash, sealed) {
      if (!sealed) return null;
      try {
        const raw = Buffer.from(sealed, 'base64url');
        if (raw.length < 29) return null;
        const decipher = createDecipheriv('aes-256-gcm', opts.key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(sessionIdHash));
        decipher.setAuthTag(raw.subarray(12, 28));
        const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        const v = JSON.parse(plain) as NewKeyFlash & { exp: number };
        if (typeof v.exp !== 'number' || v.exp <= opts.clock.now()) return null;
        return { name: String(v.name), secret: String(v.secret) };
      } catch {
        return null; // authentication failure: tampered, wrong session, or not ours
      }
    },
  };
}
