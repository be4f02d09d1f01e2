/**
 * What the two POST endpoints share: the request schema (prompts in the query, the optional
 * `Idempotency-Key` header) and the status of their answer (docs/api-notes.md, "Retries and
 * Idempotency-Key").
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IDEMPOTENCY_HEADER } from '../jobs/idempotency-keys.js';
import type { JobStatus } from '../jobs/job-types.js';
import { BEARER_SECURITY } from './app-type.js';
import { SegmentQuery } from './schemas.js';

const IdempotencyHeaders = Type.Object({
  [IDEMPOTENCY_HEADER]: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x20-\\x7E]+$',
      description:
        'Any 1–255 printable ASCII characters, new for each request (e.g. a UUID). A retry with the ' +
        'same key (24 h by default) gets the first request’s job or batch back, not a second charge.',
    }),
  ),
});

/** The schema parts both POST routes spread into theirs. */
export const SEGMENT_POST_SCHEMA = {
  tags: ['segmentation'],
  security: BEARER_SECURITY,
  consumes: ['multipart/form-data'],
  querystring: SegmentQuery,
  headers: IdempotencyHeaders,
};

/** Set on an answer that repeats an earlier request's job or batch. */
const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * 202 for `async=true`, else 200. A replay answers by the work's state instead, whatever `async`
 * says: 202 while pending or processing, 200 once finished.
 */
export function sendAccepted<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  outcome: { async: boolean; replayed: boolean; status: JobStatus },
  body: T,
): FastifyReply {
  if (!outcome.replayed) return reply.code(outcome.async ? 202 : 200).send(body);
  // The retry's upload is never read: close rather than let Node read and discard the rest.
  if (!request.raw.complete) reply.header('connection', 'close');
  const unfinished = outcome.status === 'pending' || outcome.status === 'processing';
  return reply
    .code(unfinished ? 202 : 200)
    .header(REPLAYED_HEADER, 'true')
    .send(body);
}
