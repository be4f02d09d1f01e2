/**
 * The closed catalogue of domain errors. Domain code throws these and knows nothing of HTTP;
 * `src/http/error-mapping.ts` is the one place that turns a code into a status and a body.
 *
 * @example
 *   throw new AppError('invalid_prompt', 'invalid JSON array', { field: 'points' });
 */
const ERROR_CODES = [
  'no_file', // 400: the request carried no image
  'no_prompt', // 400: neither points nor box
  'undecodable_image', // 400: bytes claim a supported type but do not decode
  'malformed_body', // 400: a request body that cannot be parsed, or two files where one is expected
  'unauthorized', // 401: missing, unknown or revoked key / session
  'insufficient_credits', // 402
  'forbidden', // 403: bad or expired signature, CSRF failure, disabled account
  'not_found', // 404: unknown id, or another account's id
  'conflict', // 409: e.g. email already registered
  'file_too_large', // 413: upload bytes over the limit
  'too_many_pixels', // 413: decoded dimensions over the pixel limit (checked from the header)
  'too_many_files', // 413: batch larger than allowed
  'unsupported_media_type', // 415: GIF, TIFF, SVG, HEIC, AVIF, …
  'invalid_prompt', // 422: a prompt parameter is malformed or out of range (has `field`)
  'validation', // 422: any other malformed parameter (has `field`, `location`)
  'rate_limited', // 429 (has `retryAfterSeconds`)
  'overloaded', // 503: inference queue full
  'model_unavailable', // 503: model not loaded / missing files
  'model_incompatible', // 500 at start-up: graph matches no known family
  'checksum_mismatch', // downloader: sha256 differs
  'download_failed', // downloader: network / HTTP failure
  'internal', // 500: never shown with details
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorDetails {
  /** The request field the problem is about, e.g. `points`, `box`, `labels`, `file`. */
  field?: string;
  /** Where the field lives: `query`, `body`, … (defaults to `query` for prompts). */
  location?: string;
  /** For `rate_limited`: seconds until a retry can succeed. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
