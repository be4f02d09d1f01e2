/** GET /openapi.json — the OpenAPI 3.1 document generated from the route schemas. */
import type { RouteModule } from '../app-type.js';

export const openapiRoute: RouteModule = (app) => {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
