/**
 * A dependency-free progress bar for stderr.
 *
 * On a terminal it redraws one line in place (at most every `intervalMs`); elsewhere (CI logs,
 * pipes) carriage returns would pile up, so it prints a plain line at each 10% step instead.
 *
 * @example
 *   const bar = createProgressBar({ out: process.stderr, label: 'encoder', clock: systemClock, format: formatBytes });
 *   bar.update(12_000_000, 109_000_000);   // encoder  [###.................]  11%  12.0 MB / 109.0 MB
 *   bar.finish();
 */
import type { Clock } from '../clock/clock.js';
import type { OutputStream } from './cli-context.js';

export interface ProgressBarOptions {
  out: OutputStream;
  label: string;
  clock: Clock;
  /** Renders a count: bytes as MB, images as plain numbers. */
  format?: (n: number) => string;
  /** Minimum time between terminal redraws. Default 100 ms. */
  intervalMs?: number;
  /** Bar width in characters. Default 24. */
  width?: number;
}

export interface ProgressBar {
  update(done: number, total: number | null): void;
  /** Draws the final state and ends the line. Idempotent. */
  finish(): void;
}

export function createProgressBar(opts: ProgressBarOptions): ProgressBar {
  const format = opts.format ?? String;
  const interval = opts.intervalMs ?? 100;
  const width = opts.width ?? 24;
  const tty = opts.out.isTTY === true;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastStep = -1;
  let state: { done: number; total: number | null } = { done: 0, total: null };
  let finished = false;

  const line = () => renderProgressLine(opts.label, state.done, state.total, format, width);

  return {
    update(done, total) {
      if (finished) return;
      state = { done, total };
      if (tty) {
        const now = opts.clock.now();
        if (now - lastDraw < interval) return;
        lastDraw = now;
        opts.out.write(`\r${line()}\x1b[K`);
        return;
      }
      // Non-terminal: a line per 10% (or nothing until the end when the total is unknown).
      if (total === null || total <= 0) return;
      const step = Math.floor((done / total) * 10);
      if (step > lastStep && step < 10) {
        lastStep = step;
        opts.out.write(`${line()}\n`);
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      opts.out.write(tty ? `\r${line()}\x1b[K\n` : `${line()}\n`);
    },
  };
}

/** Pure: one line of text for a progress state. */
export function renderProgressLine(
  label: string,
  done: number,
  total: number | null,
  format: (n: number) => string,
  width: number,
): string {
  if (total === null || total <= 0) return `${label}  ${format(done)}`;
  const frac = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(frac * width);
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  return `${label}  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}  ${format(done)} / ${format(total)}`;
}
