/** POST /v1/services/image-segmentation — one image, prompts in the query string. */
import { Type } from '@sinclair/typebox';
import { parsePrompts } from '../../engine/index.js';
import { BEARER_SECURITY, type RouteModule } from '../app-type.js';
import { accountOf } from '../authenticate.js';
import { clientGoneSignal } from '../client-gone.js';
import { toJobBody } from '../job-presenter.js';
import { readSingleUpload } from '../multipart.js';
import { errorResponses, JobBody, SegmentQuery } from '../schemas.js';

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
        tags: ['segmentation'],
        security: BEARER_SECURITY,
        consumes: ['multipart/form-data'],
        querystring: SegmentQuery,
        response: {
          200: { ...JobBody, description: 'Processed' },
          202: { ...JobBody, description: 'Accepted for background processing (async=true)' },
          ...errorResponses(400, 401, 402, 403, 413, 415, 429, 503),
        },
      },
      config: { uploadField: 'file' },
      onRequest: [authenticate, rateLimit.single],
    },
    async (request, reply) => {
      const async = request.query.async === true;
      const job = await deps.jobs.segment({
        accountId: accountOf(request).id,
        prompts: parsePrompts(request.query),
        async,
        readUpload: () => readSingleUpload(request, 'file', deps.config.limits.maxUploadBytes),
        signal: clientGoneSignal(reply),
      });
      return reply.code(async ? 202 : 200).send(toJobBody(job, deps.signer));
    },
  );
};
