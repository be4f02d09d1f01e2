/**
 * The HMAC secret for signed URLs when the config gives none: generated once and kept in the data
 * dir (mode 0600), so URLs survive restarts without the operator having to invent a secret.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RandomSource } from '../random/random-source.js';

const SIGNING_SECRET_FILE = 'signing-secret';

export async function loadOrCreateSigningSecret(opts: {
  dataDir: string;
  random: RandomSource;
}): Promise<string> {
  const path = join(opts.dataDir, SIGNING_SECRET_FILE);
  const fresh = opts.random.bytes(32).toString('base64url');
  try {
    // 'wx': if two processes start at once, exactly one creates it and both read the same one.
    await writeFile(path, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stored = (await readFile(path, 'utf8')).trim();
  if (stored.length < 32)
    throw new Error(`${path} holds a secret shorter than 32 characters; delete it to regenerate`);
  return stored;
}
