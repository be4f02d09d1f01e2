/**
 * The public JSON shapes, defined once. Property order here is the order on the wire
 * (fast-json-stringify follows the schema), and only listed properties are ever sent.
 * Inlined rather than `$ref`-shared: a nested `$id` registered twice trips the serializer,
 * and inlining costs only a longer openapi.json.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const JobStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('processing'), Type.Literal('completed'), Type.Literal('failed')],
  { description: 'pending, processing, completed, or failed' },
);

export const JobResult = Type.Object({
  job_id: Type.String({ description: 'Unique job identifier' }),
  status: JobStatus,
  input_filename: Nullable(Type.String()),
  output_url: Nullable(
    Type.String({
      description: 'Signed URL of the mask PNG (grayscale, white = selected); null until completed',
    }),
  ),
  processing_time_ms: Nullable(Type.Number({ description: 'Processing time in milliseconds' })),
  error: Nullable(Type.String()),
  original_width: Nullable(Type.Integer()),
  original_height: Nullable(Type.Integer()),
  output_width: Nullable(Type.Integer()),
  output_height: Nullable(Type.Integer()),
  credits_used: Nullable(Type.Integer({ description: 'Credits consumed; null until finished, 0 if failed' })),
});
export type JobResult = Static<typeof JobResult>;

export const JobBody = Type.Object({
  job_id: Type.String(),
  status: JobStatus,
  result: JobResult,
  error: Nullable(Type.String({ description: 'Error message if processing failed' })),
});
export type JobBody = Static<typeof JobBody>;

export const BatchBody = Type.Object({
  batch_id: Type.String(),
  status: JobStatus,
  total_files: Type.Integer(),
  completed: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(JobResult),
  total_processing_time_ms: Type.Number(),
  total_credits_used: Type.Integer(),
  error: Nullable(Type.String()),
});
export type BatchBody = Static<typeof BatchBody>;

/** Prompts as JSON strings, exactly as the spec's query string carries them. */
export const SegmentQuery = Type.Object({
  points: Type.Optional(
    Type.String({ description: 'JSON array of [x,y] point prompts, e.g. [[100,200],[300,400]]' }),
  ),
  labels: Type.Optional(
    Type.String({ description: 'JSON array of point labels (1=foreground, 0=background), e.g. [1,0]' }),
  ),
  box: Type.Optional(
    Type.String({ description: 'Bounding box as JSON [x1,y1,x2,y2], e.g. [10,20,300,400]' }),
  ),
  async: Type.Optional(
    Type.Boolean({ default: false, description: 'Answer 202 at once and process in the background' }),
  ),
});
export type SegmentQuery = Static<typeof SegmentQuery>;

const ErrorBody = Type.Object({ detail: Type.String() });
export type ErrorBody = Static<typeof ErrorBody>;

const ValidationErrorBody = Type.Object({
  detail: Type.Array(
    Type.Object({ loc: Type.Array(Type.String()), msg: Type.String(), type: Type.String() }),
  ),
});
export type ValidationErrorBody = Static<typeof ValidationErrorBody>;

const InternalErrorBody = Type.Object({ detail: Type.String(), request_id: Type.String() });
export type InternalErrorBody = Static<typeof InternalErrorBody>;

const ERROR_DESCRIPTIONS = {
  400: 'Bad request: no file, no prompt, or an image that cannot be decoded',
  401: 'Missing or invalid API key',
  402: 'Insufficient credits',
  403: 'Forbidden',
  404: 'Not found (or not yours)',
  409: 'A request with the same Idempotency-Key is still in progress; see Retry-After',
  413: 'File too large, too many pixels, or too many files',
  415: 'Unsupported image type (send JPEG, PNG or WebP)',
  429: 'Rate limit exceeded; see Retry-After',
  503: 'Server busy; see Retry-After',
} as const;

/** Response schemas for the error statuses a route can answer, plus 422 and 500 which any can. */
export function errorResponses(...statuses: (keyof typeof ERROR_DESCRIPTIONS)[]) {
  const out: Record<number, TSchema> = {
    422: { ...ValidationErrorBody, description: 'Validation error' },
    500: {
      ...InternalErrorBody,
      description: 'Internal server error; details are in the log under request_id',
    },
  };
  for (const s of statuses) out[s] = { ...ErrorBody, description: ERROR_DESCRIPTIONS[s] };
  return out;
}
