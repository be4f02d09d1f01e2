/** GET /v1/jobs/:job_id — the owner's job; anyone else's id answers like an unknown one. */
import { Type } from '@sinclair/typebox';
import { BEARER_SECURITY, type RouteModule } from '../app-type.js';
import { accountOf } from '../authenticate.js';
import { toJobBody } from '../job-presenter.js';
import { errorResponses, JobBody } from '../schemas.js';

const Params = Type.Object({ job_id: Type.String() });

export const getJobRoute: RouteModule = (app, { deps, authenticate }) => {
  app.get(
    '/v1/jobs/:job_id',
    {
      schema: {
        summary: 'Get a job',
        tags: ['jobs'],
        security: BEARER_SECURITY,
        params: Params,
        response: {
          200: { ...JobBody, description: 'The job, as the POST answered it' },
          ...errorResponses(401, 403, 404),
        },
      },
      onRequest: [authenticate],
    },
    async (request) => toJobBody(deps.jobs.getJob(accountOf(request).id, request.params.job_id), deps.signer),
  );
};
