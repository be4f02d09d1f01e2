/** `GET /static/:name`: the stylesheet and client scripts, from memory, with ETag revalidation. */
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors/app-error.js';
import type { WebRoute } from '../web-route.js';

// No pattern needed: only names loaded at start-up exist, so anything else (`..%2F…`) is a 404.
const AssetParams = Type.Object({ name: Type.String({ maxLength: 100 }) });

export const staticRoutes: WebRoute = (app, deps) => {
  app.get('/static/:name', { schema: { params: AssetParams } }, async (request, reply) => {
    const asset = deps.web.assets.get(request.params.name);
    if (!asset) throw new AppError('not_found', 'Not Found');
    // no-cache = revalidate every time: cheap (a 304), and a new deploy shows up at once.
    reply.header('cache-control', 'no-cache').header('etag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.contentType).send(asset.body);
  });
};
