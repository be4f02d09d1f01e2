/**
 * Long JS loops over large images run in bands with a yield between them, so a 50-megapixel
 * mask does not stall every other request for hundreds of milliseconds.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export { yieldToEventLoop };

/** Default band: about 2 M elements, a few milliseconds of work in the loops here. */
const BAND_ELEMENTS = 2_000_000;

/**
 * Calls `fn(from, to)` for consecutive bands of rows covering [0, rows), yielding in between.
 * @param rowLength elements per row, to size bands by work rather than by rows.
 */
export async function forEachBand(
  rows: number,
  rowLength: number,
  fn: (from: number, to: number) => void,
  bandElements = BAND_ELEMENTS,
): Promise<void> {
  const step = Math.max(1, Math.floor(bandElements / Math.max(1, rowLength)));
  for (let from = 0; from < rows; from += step) {
    if (from > 0) await yieldToEventLoop();
    fn(from, Math.min(rows, from + step));
  }
}
