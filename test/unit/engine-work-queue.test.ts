import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorkQueue } from '../../src/engine/work-queue.js';
import { isAppError } from '../../src/errors/app-error.js';

/** A task that finishes when `release()` is called. */
function gate<T>(value: T) {
  let release!: () => void;
  const done = new Promise<void>((r) => {
    release = r;
  });
  const task = async () => {
    await done;
    return value;
  };
  return { task, release };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('createWorkQueue', () => {
  it('runs at most `concurrency` tasks at once, in FIFO order', async () => {
    const q = createWorkQueue({ concurrency: 2, maxWaiting: 10 });
    const order: number[] = [];
    let active = 0;
    let peak = 0;
    const jobs = Array.from({ length: 6 }, (_, i) =>
      q.run(async () => {
        active++;
        peak = Math.max(peak, active);
        order.push(i);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return i;
      }),
    );
    assert.equal(q.running, 2);
    assert.equal(q.waiting, 4);
    assert.deepEqual(await Promise.all(jobs), [0, 1, 2, 3, 4, 5]);
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
    assert.equal(q.running, 0);
    assert.equal(q.waiting, 0);
  });

  it('refuses work with `overloaded` once the waiting line is full', async () => {
    const q = createWorkQueue({ concurrency: 1, maxWaiting: 2 });
    const a = gate('a');
    const running = q.run(a.task);
    const waiting = [q.run(async () => 'b'), q.run(async () => 'c')];
    await assert.rejects(
      q.run(async () => 'd'),
      (err) => isAppError(err) && err.code === 'overloaded',
    );
    assert.equal(q.waiting, 2);
    a.release();
    assert.deepEqual(await Promise.all([running, ...waiting]), ['a', 'b', 'c']);
    assert.equal(await q.run(async () => 'e'), 'e', 'accepts work again once drained');
  });

  it('frees the slot when a task throws', async () => {
    const q = createWorkQueue({ concurrency: 1, maxWaiting: 1 });
    await assert.rejects(
      q.run(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(q.running, 0);
    assert.equal(await q.run(async () => 1), 1);
  });

  it('drops a waiting task whose signal aborts, without running it', async () => {
    const q = createWorkQueue({ concurrency: 1, maxWaiting: 5 });
    const a = gate('a');
    const first = q.run(a.task);
    const ac = new AbortController();
    let ran = false;
    const second = q.run(
      async () => {
        ran = true;
      },
      { signal: ac.signal },
    );
    await tick();
    ac.abort();
    await assert.rejects(second, { name: 'AbortError' });
    assert.equal(q.waiting, 0);
    a.release();
    await first;
    await tick();
    assert.equal(ran, false);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const q = createWorkQueue({ concurrency: 1, maxWaiting: 5 });
    await assert.rejects(
      q.run(async () => 1, { signal: AbortSignal.abort() }),
      { name: 'AbortError' },
    );
    assert.equal(q.running, 0);
  });
});
