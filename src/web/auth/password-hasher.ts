/**
 * Password hashing with scrypt (node:crypto), a fresh 16-byte salt per hash and a constant-time
 * compare. The stored string carries its own parameters so they can be raised later without
 * invalidating existing hashes:
 *
 *   scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>
 *
 * @example
 *   const hasher = createScryptHasher();
 *   const stored = await hasher.hash('correct horse');
 *   await hasher.verify('correct horse', stored); // true
 */
import { scrypt, timingSafeEqual } from 'node:crypto';
import { cryptoRandom, type RandomSource } from '../../random/random-source.js';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a malformed or missing stored hash. */
  verify(password: string, stored: string | null): Promise<boolean>;
}

export interface ScryptParams {
  /** CPU/memory cost, a power of two. Memory per hash is 128 · N · r bytes. */
  N: number;
  r: number;
  p: number;
}

/**
 * One of OWASP's equivalent minimums (N=2^15, r=8, p=3): 32 MiB and roughly 100–200 ms per
 * hash on one core. Tests pass a cheaper set.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Passwords past this length only make hashing slower; the sign-up form rejects them. */
export const MAX_PASSWORD_LENGTH = 1024;
/** Enforced by sign-up and by `maskd set-password`. */
export const MIN_PASSWORD_LENGTH = 8;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem must cover 128 * N * r bytes plus headroom, or Node refuses the larger settings.
  const maxmem = 128 * params.N * params.r * 2;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, { ...params, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export function createScryptHasher(
  opts: { params?: ScryptParams; random?: RandomSource } = {},
): PasswordHasher {
  const params = opts.params ?? DEFAULT_SCRYPT;
  const random = opts.random ?? cryptoRandom;
  // A verify against no account still pays for one scrypt, so response time does not reveal
  // which emails are registered.
  let dummy: Promise<string> | undefined;

  async function hash(password: string): Promise<string> {
    const salt = random.bytes(SALT_BYTES);
    const key = await derive(password, salt, params);
    return [
      'scrypt',
      params.N,
      params.r,
      params.p,
      salt.toString('base64url'),
      key.toString('base64url'),
    ].join('$');
  }

  async function verify(password: string, stored: string | null): Promise<boolean> {
    const parsed = stored ? parse(stored) : null;
    if (!parsed) {
      dummy ??= hash('maskd-dummy-password');
      const fallback = parse(await dummy);
      if (fallback) await derive(password, fallback.salt, fallback.params);
      return false;
    }
    const key = await derive(password, parsed.salt, parsed.params);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }

  return { hash, verify };
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || key.length < 16) return null;
  return { params: { N, r, p }, salt, key };
}
