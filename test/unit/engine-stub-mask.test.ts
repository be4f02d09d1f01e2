import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderStubMask } from '../../src/engine/stub-mask.js';

/** The mask as rows of '#' (255) and '.' (0). */
const rows = (m: Uint8Array, w: number) =>
  Array.from({ length: m.length / w }, (_, y) =>
    [...m.subarray(y * w, (y + 1) * w)].map((v) => (v ? '#' : '.')).join(''),
  );

describe('renderStubMask', () => {
  it('fills the box: pixels whose centre lies inside', () => {
    const m = renderStubMask({ points: [], labels: [], box: [1, 1, 4, 3] }, 6, 4);
    assert.deepEqual(rows(m, 6), ['......', '.###..', '.###..', '......']);
    const half = renderStubMask({ points: [], labels: [], box: [0.6, 0, 2.6, 1] }, 4, 2);
    assert.deepEqual(rows(half, 4), ['.##.', '....']);
  });

  it('draws a disk of radius 10% of min(w, h) around foreground points only', () => {
    // 50×40: r = 4. Centre (10.5, 10.5) is pixel (10, 10)'s centre.
    const m = renderStubMask(
      {
        points: [
          [10.5, 10.5],
          [30, 30],
        ],
        labels: [1, 0],
        box: null,
      },
      50,
      40,
    );
    const at = (x: number, y: number) => m[y * 50 + x];
    assert.equal(at(10, 10), 255);
    assert.equal(at(14, 10), 255, 'distance exactly r is inside');
    assert.equal(at(15, 10), 0);
    assert.equal(at(13, 13), 0, 'distance 4.24 > 4');
    assert.equal(at(30, 30), 0, 'background point draws nothing');
    const count = m.reduce((a, v) => a + (v ? 1 : 0), 0);
    assert.equal(count, 49); // lattice points within radius 4
  });

  it('clips shapes at the image border', () => {
    // 10×10: r = 1, centred on the corner. Only pixel (0, 0)'s centre is within 1 of it.
    const corner = renderStubMask({ points: [[0, 0]], labels: [1], box: null }, 10, 10);
    assert.deepEqual(rows(corner, 10).slice(0, 2), ['#.........', '..........']);
    assert.equal(
      corner.reduce((a, v) => a + (v ? 1 : 0), 0),
      1,
    );
    // A box running past the far edges is cut at them.
    const box = renderStubMask({ points: [], labels: [], box: [2, 1, 9, 9] }, 4, 3);
    assert.deepEqual(rows(box, 4), ['....', '..##', '..##']);
  });
});
