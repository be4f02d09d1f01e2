/** A real SQLite file in a temp dir with the account services on a ManualClock. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccountService } from '../../src/accounts/account-service.js';
import { createApiKeyService } from '../../src/accounts/api-key-service.js';
import { ManualClock } from '../../src/clock/clock.js';
import { createCreditService } from '../../src/credits/credit-service.js';
import { openDatabase } from '../../src/db/database.js';
import { cryptoRandom } from '../../src/random/random-source.js';

export async function serviceFixture() {
  const dir = await mkdtemp(join(tmpdir(), 'maskd-svc-'));
  const db = openDatabase(join(dir, 'test.sqlite'));
  const clock = new ManualClock();
  const accounts = createAccountService({ db, clock, random: cryptoRandom });
  return {
    dir,
    db,
    clock,
    accounts,
    apiKeys: createApiKeyService({ db, clock, random: cryptoRandom, accounts }),
    credits: createCreditService({ db, clock }),
    async close() {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
