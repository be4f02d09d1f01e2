/**
 * Restart recovery on the same data dir: a job left `processing` by a dead process is failed and
 * refunded; a `pending` async job (its upload already stored) completes after the restart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../src/deps.js';
import { createStubEngine, type Engine } from '../../src/engine/index.js';
import { AppError } from '../../src/errors/app-error.js';
import { createTestApp, postImage } from '../helpers/test-app.js';

/** An engine that is always busy, so accepted async jobs stay pending. */
function busyEngine(maxPixels: number): Engine {
  const real = createStubEngine({ maxPixels });
  return {
    ...real,
    segment: async () => {
      throw new AppError('overloaded', 'busy');
    },
  };
}

test('restart: processing → failed + refunded; pending → completed', async () => {
  const first = await createTestApp({ engine: (c) => busyEngine(c.limits.maxPixels) });
  const { account, key } = first.createCustomer({ credits: 5 });
  const interrupted = (await postImage(first, key, { query: 'box=[1,1,20,20]&async=true' })).json();
  const waiting = (await postImage(first, key, { query: 'box=[1,1,20,20]&async=true' })).json();
  assert.equal(first.deps.credits.balance(account.id), 3);
  await first.close({ keepData: true });

  // What a process killed mid-inference leaves behind: the row says `processing`.
  const db = new Database(`${first.dataDir}/${DATABASE_FILE}`);
  db.prepare("UPDATE jobs SET status = 'processing', started_at = 1 WHERE id = ?").run(interrupted.job_id);
  db.close();

  const second = await createTestApp({ dataDir: first.dataDir });
  try {
    const get = (id: string) =>
      second.app.inject({
        method: 'GET',
        url: `/v1/jobs/${id}`,
        headers: { authorization: `Bearer ${key}` },
      });
    const failed = (await get(interrupted.job_id)).json();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error, 'Processing was interrupted by a server restart');
    assert.equal(failed.result.credits_used, 0);

    let done = (await get(waiting.job_id)).json();
    // Up to 5 s: the machine may be busy with other work.
    for (let i = 0; i < 500 && done.status !== 'completed'; i++) {
      await sleep(10);
      done = (await get(waiting.job_id)).json();
    }
    assert.equal(done.status, 'completed');
    assert.equal(done.result.credits_used, 1);
    assert.ok(done.result.output_url);

    assert.equal(second.deps.credits.balance(account.id), 4);
    const kinds = second.deps.credits.ledger(account.id, { limit: 10 }).map((e) => e.kind);
    assert.deepEqual(kinds, ['refund', 'debit', 'debit', 'grant']);
    // The stored upload is deleted right after the job is marked completed (not in the same step,
    // so a poll can see `completed` a moment before the file is gone).
    let upload = await second.deps.blobs.get(`uploads/${waiting.job_id}`);
    for (let i = 0; i < 500 && upload !== null; i++) {
      await sleep(10);
      upload = await second.deps.blobs.get(`uploads/${waiting.job_id}`);
    }
    assert.equal(upload, null);
  } finally {
    await second.close();
  }
});
