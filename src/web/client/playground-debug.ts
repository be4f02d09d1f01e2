/**
 * What the playground exposes on `window.__maskd` for tests and for curious users: counts of
 * requests and the last mask it drew. Types only, shared with the browser tests.
 */
export interface PlaygroundDebug {
  requests: number;
  responses: number;
  errors: number;
  /** The last mask drawn: its size and how many pixels are selected. */
  lastMask: { width: number; height: number; selectedPixels: number } | null;
  /** The API's `processing_time_ms`. */
  lastProcessingMs: number | null;
  /** Round trip seen by the browser, including the mask download and decode. */
  lastElapsedMs: number | null;
  creditsUsed: number;
}
