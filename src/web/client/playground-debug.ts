/**
 * What the playground exposes on `window.__maskd` for tests and for curious users: counts of
 * requests and facts about the last mask it drew. Types only, shared with the browser tests.
 */
export interface PlaygroundDebug {
  requests: number;
  responses: number;
  errors: number;
  /** The last mask drawn, as decoded from the API's PNG; null when cleared. */
  lastMask: {
    width: number;
    height: number;
    selectedPixels: number;
    /** Inclusive [x1, y1, x2, y2] of the selected pixels, null when none. */
    bounds: [number, number, number, number] | null;
    /** FNV-1a (32-bit, hex) over one byte per pixel, 1 = selected (value ≥ 128), row-major. */
    digest: string;
  } | null;
  /** The API's `processing_time_ms`. */
  lastProcessingMs: number | null;
  /** Round trip seen by the browser, including the mask download and decode. */
  lastElapsedMs: number | null;
  creditsUsed: number;
  /**
   * One image pixel as the page shows it: `shown` is the stage canvas (photo + overlay +
   * markers), `photo` the image alone, `selected` the mask's bit there. RGB, 0–255.
   */
  probe(x: number, y: number): { shown: number[]; photo: number[]; selected: boolean } | null;
}
