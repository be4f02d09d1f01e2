/** POST /v1/services/image-segmentation — one image, prompts in the query string. */
import { Type } from '@sinclair/typebox';
import { parsePrompts } from '../../engine/index.js';
import { IDEMPOTENCY_HEADER } from '../../jobs/idempotency-keys.js';
import type { RouteModule } from '../app-type.js';
import { accountOf } from '../authenticate.js';
import { clientGoneSignal } from '../client-gone.js';
import { toJobBody } from '../job-presenter.js';
import { readSingleUpload } from '../multipart.js';
import { errorResponses, JobBody } from '../schemas.js';
import { SEGMENT_POST_SCHEMA, sendAccepted } from '../segment-post.js';

export const SEGMENT_URL = '/v1/services/image-segmentation';

/** For the OpenAPI document only: multipart bodies are read as streams, not validated as JSON. */
export const SegmentUpload = Type.Object({
  file: Type.String({ format: 'binary', description: 'Image file to segment (JPEG, PNG, WebP)' }),
});

export const segmentRoute: RouteModule = (app, { deps, authenticate, rateLimit }) => {
  app.post(
    SEGMENT_URL,
    {
      schema: {
        summary: 'Segment one image',
        description: 'Returns a job whose output_url is a grayscale mask PNG (white = selected).',
        ...SEGMENT_POST_SCHEMA,
        response: {
          200: { ...JobBody, description: 'Processed (or, repeating an Idempotency-Key, the finished job)' },
          202: {
            ...JobBody,
            description:
              'Accepted for background processing (async=true), or a repeated key whose job is unfinished',
          },
          ...errorResponses(400, 401, 402, 403, 409, 413, 415, 429, 503),
        },
      },
      config: { uploadField: 'file' },
      onRequest: [authenticate, rateLimit.single],
    },
    async (request, reply) => {
      const async = request.query.async === true;
      const { job, replayed } = await deps.jobs.segment({
        accountId: accountOf(request).id,
        prompts: parsePrompts(request.query),
        async,
        idempotencyKey: request.headers[IDEMPOTENCY_HEADER],
        readUpload: () => readSingleUpload(request, 'file', deps.config.limits.maxUploadBytes),
        signal: clientGoneSignal(reply),
      });
      return sendAccepted(
        request,
        reply,
        { async, replayed, status: job.status },
        toJobBody(job, deps.signer),
      );
    },
  );
};
