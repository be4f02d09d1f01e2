/** GET /v1/batches/:batch_id — the owner's batch; anyone else's id answers like an unknown one. */
import { Type } from '@sinclair/typebox';
import { BEARER_SECURITY, type RouteModule } from '../app-type.js';
import { accountOf } from '../authenticate.js';
import { toBatchBody } from '../job-presenter.js';
import { BatchBody, errorResponses } from '../schemas.js';

const Params = Type.Object({ batch_id: Type.String() });

export const getBatchRoute: RouteModule = (app, { deps, authenticate }) => {
  app.get(
    '/v1/batches/:batch_id',
    {
      schema: {
        summary: 'Get a batch',
        tags: ['jobs'],
        security: BEARER_SECURITY,
        params: Params,
        response: {
          200: { ...BatchBody, description: 'The batch and its jobs' },
          ...errorResponses(401, 403, 404),
        },
      },
      onRequest: [authenticate],
    },
    async (request) =>
      toBatchBody(deps.jobs.getBatch(accountOf(request).id, request.params.batch_id), deps.signer),
  );
};
