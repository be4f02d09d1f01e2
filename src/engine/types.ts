/**
 * The engine's public contract: what the HTTP layer, the CLI and the web app call.
 * Coordinates are pixels of the image *as displayed* (after EXIF orientation).
 */
import type { ModelFamily } from './model-family.js';

export type Point = [x: number, y: number];
export type Box = [x1: number, y1: number, x2: number, y2: number];
export type PointLabel = 0 | 1;

/** Prompts after parsing and structural validation (see `prompts.ts`). */
export interface Prompts {
  points: Point[];
  /** Same length as `points`; defaults to all 1 (foreground). */
  labels: PointLabel[];
  box: Box | null;
}

/** Prompts exactly as the API receives them: JSON strings from the query string. */
export interface RawPrompts {
  points?: string | undefined;
  labels?: string | undefined;
  box?: string | undefined;
}

export type ImageFormat = 'jpeg' | 'png' | 'webp';

/** What a header-only probe learns, before any pixel is decoded. */
export interface ImageInfo {
  format: ImageFormat;
  /** Displayed size: width/height swapped when EXIF orientation is 5–8. */
  width: number;
  height: number;
}

export interface SegmentRequest {
  /** The encoded image file (JPEG, PNG or WebP). */
  image: Uint8Array;
  prompts: Prompts;
  /** Aborts a request still waiting in the queue (e.g. the client went away). */
  signal?: AbortSignal;
}

export interface SegmentTimings {
  queueMs: number;
  decodeMs: number;
  /** 0 on an embedding-cache hit. */
  encodeMs: number;
  decodeMaskMs: number;
  postprocessMs: number;
  totalMs: number;
}

export interface SegmentResult {
  /** PNG, 8-bit single channel (true grayscale), width × height, 255 = selected, 0 = not. */
  mask: Buffer;
  width: number;
  height: number;
  /** The model's predicted IoU for the chosen mask. */
  score: number;
  cacheHit: boolean;
  timings: SegmentTimings;
}

export interface EngineStats {
  modelId: string;
  queueDepth: number;
  running: number;
  cacheHits: number;
  cacheMisses: number;
  cacheEntries: number;
  cacheBytes: number;
  encoderRuns: number;
  decoderRuns: number;
}

export interface Engine {
  readonly modelId: string;
  readonly family: ModelFamily | 'stub';
  /** Header-only inspection: throws `unsupported_media_type`, `undecodable_image`, `too_many_pixels`. */
  probe(image: Uint8Array): Promise<ImageInfo>;
  /** Throws AppError: the probe's codes, `invalid_prompt` (out of image), `overloaded`. */
  segment(req: SegmentRequest): Promise<SegmentResult>;
  stats(): EngineStats;
  close(): Promise<void>;
}
