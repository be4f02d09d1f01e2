/** POST /v1/services/image-segmentation/batch — up to N images, the same prompts for each. */
import { Type } from '@sinclair/typebox';
import { parsePrompts } from '../../engine/index.js';
import { IDEMPOTENCY_HEADER } from '../../jobs/idempotency-keys.js';
import type { RouteModule } from '../app-type.js';
import { accountOf } from '../authenticate.js';
import { toBatchBody } from '../job-presenter.js';
import { readUploads } from '../multipart.js';
import { BatchBody, errorResponses } from '../schemas.js';
import { SEGMENT_POST_SCHEMA, sendAccepted } from '../segment-post.js';

export const SEGMENT_BATCH_URL = '/v1/services/image-segmentation/batch';

/** For the OpenAPI document only (see segment.ts). */
export const SegmentBatchUpload = Type.Object({
  files: Type.Array(Type.String({ format: 'binary' }), { description: 'Images to segment, in order' }),
});

export const segmentBatchRoute: RouteModule = (app, { deps, authenticate, rateLimit }) => {
  app.post(
    SEGMENT_BATCH_URL,
    {
      schema: {
        summary: 'Segment a batch of images',
        description:
          'Processes files in order while credits last; the rest fail with "Insufficient credits". ' +
          'A file that cannot be read fails alone. Check `completed` and `failed`.',
        ...SEGMENT_POST_SCHEMA,
        response: {
          200: {
            ...BatchBody,
            description:
              'Processed, possibly with per-file failures (or, repeating an Idempotency-Key, the finished batch)',
          },
          202: {
            ...BatchBody,
            description:
              'Accepted for background processing (async=true), or a repeated key whose batch is unfinished',
          },
          ...errorResponses(400, 401, 402, 403, 409, 413, 429),
        },
      },
      config: { uploadField: 'files' },
      onRequest: [authenticate, rateLimit.batch],
    },
    async (request, reply) => {
      const { maxUploadBytes, maxBatchFiles } = deps.config.limits;
      const async = request.query.async === true;
      const { batch, replayed } = await deps.jobs.segmentBatch({
        accountId: accountOf(request).id,
        prompts: parsePrompts(request.query),
        async,
        idempotencyKey: request.headers[IDEMPOTENCY_HEADER],
        uploads: readUploads(request, 'files', { maxBytes: maxUploadBytes, maxFiles: maxBatchFiles }),
      });
      const { status } = batch.summary;
      return sendAccepted(request, reply, { async, replayed, status }, toBatchBody(batch, deps.signer));
    },
  );
};
