import { randomBytes } from 'node:crypto';

/**
 * Randomness as a port: key secrets, job ids and the signing secret come from here, so tests
 * can make them reproducible. Production uses the OS CSPRNG.
 */
export interface RandomSource {
  bytes(length: number): Buffer;
}

export const cryptoRandom: RandomSource = { bytes: (length) => randomBytes(length) };

/**
 * An RFC 9562 version-4 UUID built from the source's bytes.
 * @example randomUuid(cryptoRandom) // '3b241101-e2bb-4255-8caf-4136c566a962'
 */
export function randomUuid(random: RandomSource): string {
  const b = random.bytes(16);
  b[6] = (b[6] & 0x0f) | 0x40; // version 4
  b[8] = (b[8] & 0x3f) | 0x80; // variant 10xx
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
