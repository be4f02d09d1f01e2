/**
 * OpenAPI 3.1 from the route schemas (@fastify/swagger) and the interactive docs at /docs
 * (@fastify/swagger-ui, its assets served from the package, no CDN).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TSchema } from '@sinclair/typebox';
import type { App } from './app-type.js';
import { SEGMENT_URL, SegmentUpload } from './routes/segment.js';
import { SEGMENT_BATCH_URL, SegmentBatchUpload } from './routes/segment-batch.js';

/** Multipart bodies are streamed, not validated, so they are described here for the document only. */
const MULTIPART_BODIES: Record<string, TSchema> = {
  [SEGMENT_URL]: SegmentUpload,
  [SEGMENT_BATCH_URL]: SegmentBatchUpload,
};

const DOCUMENTED = /^\/(v1\/|healthz$|readyz$)/;

export async function registerOpenApi(app: App, opts: { publicUrl: string; version: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'maskd image segmentation API',
        version: opts.version,
        description: 'Segment objects in images with point or box prompts. See docs/api-notes.md.',
      },
      servers: [{ url: opts.publicUrl }],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'sk-live-…' } },
      },
    },
    transform: ({ schema, url }) => {
      // The document describes the JSON API; HTML pages and their form posts stay out of it.
      if (!DOCUMENTED.test(url)) return { schema: { ...schema, hide: true }, url };
      const body = MULTIPART_BODIES[url];
      return { schema: body ? { ...schema, body } : schema, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
