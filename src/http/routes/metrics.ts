/**
 * GET /metrics — Prometheus text format. Unauthenticated like most exporters; keep it off the
 * public interface with the reverse proxy if the numbers are sensitive.
 */
import type { RouteModule } from '../app-type.js';

export const metricsRoute: RouteModule = (app, { deps }) => {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const { registry } = deps.metrics;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
};
