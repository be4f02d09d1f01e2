/**
 * Per-request stage timings, from clock readings taken at each stage boundary.
 */
import type { Clock } from '../clock/clock.js';
import type { SegmentTimings } from './types.js';

/**
 * Epoch milliseconds with sub-millisecond resolution that never step backwards (NTP slews
 * `Date.now()`): the default clock for stage timings.
 */
export const monotonicClock: Clock = { now: () => performance.timeOrigin + performance.now() };

/** Clock readings (ms) at each boundary of one request. */
export interface StageMarks {
  received: number;
  /** Got a queue slot. */
  started: number;
  /** Pixels decoded. */
  decoded: number;
  /** Embedding ready (cached or freshly encoded). */
  encoded: number;
  /** Mask decoder done. */
  masked: number;
  /** PNG encoded. */
  done: number;
}

const ms = (v: number) => Math.round(v * 100) / 100;

export function stageTimings(m: StageMarks, cacheHit: boolean): SegmentTimings {
  return {
    queueMs: ms(m.started - m.received),
    decodeMs: ms(m.decoded - m.started),
    encodeMs: cacheHit ? 0 : ms(m.encoded - m.decoded),
    decodeMaskMs: ms(m.masked - m.encoded),
    postprocessMs: ms(m.done - m.masked),
    totalMs: ms(m.done - m.received),
  };
}
