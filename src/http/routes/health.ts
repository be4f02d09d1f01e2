/**
 * GET /healthz — the process answers (liveness). GET /readyz — the database answers and the
 * engine is loaded (readiness): a load balancer sends traffic only when this is 200.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../app-type.js';

const Health = Type.Object({ status: Type.String() });
const Ready = Type.Object({
  status: Type.String(),
  checks: Type.Object({ database: Type.Boolean(), engine: Type.Boolean() }),
  model: Type.Union([Type.String(), Type.Null()]),
});

export const healthRoute: RouteModule = (app, { deps }) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness',
        tags: ['operations'],
        response: { 200: { ...Health, description: 'Alive' } },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness',
        tags: ['operations'],
        response: {
          200: { ...Ready, description: 'Ready for traffic' },
          503: { ...Ready, description: 'Not ready (see checks)' },
        },
      },
    },
    async (_request, reply) => {
      const database = probe(() => deps.db.prepare('SELECT 1').get() !== undefined);
      const engine = probe(() => typeof deps.engine.stats().queueDepth === 'number');
      const ok = database && engine;
      return reply.code(ok ? 200 : 503).send({
        status: ok ? 'ready' : 'unavailable',
        checks: { database, engine },
        model: engine ? deps.engine.modelId : null,
      });
    },
  );
};

function probe(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
