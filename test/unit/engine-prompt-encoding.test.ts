import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeSam1Prompts, encodeSam2Prompts } from '../../src/engine/prompt-encoding.js';
import type { Prompts } from '../../src/engine/types.js';

const close = (actual: Float32Array, expected: number[]) => {
  assert.equal(actual.length, expected.length);
  for (const [i, e] of expected.entries())
    assert.ok(Math.abs(actual[i] - e) < 1e-3, `[${i}] ${actual[i]} ≠ ${e}`);
};

const click: Prompts = { points: [[427, 240]], labels: [1], box: null };

describe('encodeSam1Prompts', () => {
  it('scales both axes by 1024 / max(W, H) and appends a padding point without a box', () => {
    const p = encodeSam1Prompts(click, 854, 480);
    assert.equal(p.n, 2);
    close(p.coords, [512, 287.7752, 0, 0]);
    assert.deepEqual([...p.labels], [1, -1]);
  });

  it('puts box corners after the points, labelled 2 and 3, with no padding point', () => {
    const p = encodeSam1Prompts(
      {
        points: [
          [10, 20],
          [30, 40],
        ],
        labels: [1, 0],
        box: [100, 50, 427, 480],
      },
      854,
      480,
    );
    assert.equal(p.n, 4);
    close(p.coords, [11.9906, 23.9813, 35.9719, 47.9625, 119.9063, 59.9532, 512, 575.5504]);
    assert.deepEqual([...p.labels], [1, 0, 2, 3]);
  });

  it('handles a box alone and portrait images', () => {
    const p = encodeSam1Prompts({ points: [], labels: [], box: [0, 0, 240, 427] }, 480, 854);
    close(p.coords, [0, 0, 287.7752, 512]);
    assert.deepEqual([...p.labels], [2, 3]);
  });
});

describe('encodeSam2Prompts', () => {
  it('scales x by 1024 / W and y by 1024 / H (the image is stretched to a square)', () => {
    const p = encodeSam2Prompts(click, 854, 480);
    close(p.coords, [512, 512, 0, 0]);
    assert.deepEqual([...p.labels], [1, -1]);
    const q = encodeSam2Prompts({ points: [[100, 300]], labels: [0], box: [0, 0, 854, 480] }, 854, 480);
    close(q.coords, [119.9063, 640, 0, 0, 1024, 1024]);
    assert.deepEqual([...q.labels], [0, 2, 3]);
  });
});
