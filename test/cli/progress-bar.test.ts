import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgressBar, renderProgressLine } from '../../src/cli/progress-bar.js';
import { maskFileNames } from '../../src/cli/segment-folder.js';
import { formatBytes, formatTable } from '../../src/cli/text-format.js';
import { ManualClock } from '../../src/clock/clock.js';

const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, write: (s: string) => chunks.push(s) } };
};

describe('progress bar', () => {
  it('renders a fixed-width line', () => {
    assert.equal(renderProgressLine('x', 5, 20, String, 8), 'x  [##......]  25%  5 / 20');
    assert.equal(renderProgressLine('x', 7, null, String, 8), 'x  7');
    assert.equal(renderProgressLine('x', 30, 20, String, 4), 'x  [####] 100%  30 / 20');
  });

  it('redraws in place on a terminal, throttled by the clock', () => {
    const { chunks, out } = sink(true);
    const clock = new ManualClock(0);
    const bar = createProgressBar({ out, label: 'a', clock, width: 4, intervalMs: 100 });
    bar.update(1, 4);
    bar.update(2, 4); // within 100 ms: skipped
    clock.advance(100);
    bar.update(3, 4);
    bar.finish();
    bar.finish();
    assert.deepEqual(chunks, [
      '\ra  [#...]  25%  1 / 4\x1b[K',
      '\ra  [###.]  75%  3 / 4\x1b[K',
      '\ra  [###.]  75%  3 / 4\x1b[K\n',
    ]);
  });

  it('prints a line per 10% step elsewhere, and the final state', () => {
    const { chunks, out } = sink(false);
    const bar = createProgressBar({ out, label: 'a', clock: new ManualClock(), width: 2 });
    for (let i = 0; i <= 100; i++) bar.update(i, 100);
    bar.finish();
    assert.equal(chunks.length, 11);
    assert.equal(chunks[0], 'a  [..]   0%  0 / 100\n');
    assert.equal(chunks[10], 'a  [##] 100%  100 / 100\n');
    assert.ok(chunks.every((c) => !c.includes('\r')));
  });
});

describe('CLI text helpers', () => {
  it('formats bytes in decimal units', () => {
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(16_518_529), '16.5 MB');
    assert.equal(formatBytes(852_451_102), '852.5 MB');
    assert.equal(formatBytes(1_200_000_000), '1.2 GB');
  });

  it('aligns table columns', () => {
    assert.equal(
      formatTable([
        ['A', 'BB', 'C'],
        ['long', 'x', 'y'],
      ]),
      'A     BB  C\nlong  x   y',
    );
  });

  it('names masks after their image, keeping the extension only on a clash', () => {
    assert.deepEqual(maskFileNames(['a.jpg', 'b.png', 'b.webp', 'c.d.jpeg']), [
      'a.mask.png',
      'b.png.mask.png',
      'b.webp.mask.png',
      'c.d.mask.png',
    ]);
  });
});
