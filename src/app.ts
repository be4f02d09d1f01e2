/**
 * `buildApp(deps)` → a ready Fastify app. It never listens and never reads the environment:
 * `server.ts` does both, and tests call `inject()` on the same app.
 *
 * Hardening that belongs to the app lives here: request ids, body and multipart limits,
 * the error mapping, security headers. Socket timeouts and signals live in `server.ts`.
 */
import { createRequire } from 'node:module';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Deps } from './deps.js';
import { AppError } from './errors/app-error.js';
import type { App, RouteContext } from './http/app-type.js';
import { createAuthenticate } from './http/authenticate.js';
import {
  createClientErrorHandler,
  createFrameworkErrorHandler,
  installErrorHandling,
} from './http/error-mapping.js';
import { registerOpenApi } from './http/openapi.js';
import { createRateLimitHook } from './http/rate-limit-hook.js';
import { REQUEST_ID_HEADER, requestIdGenerator } from './http/request-id.js';
import { ROUTES } from './http/routes.js';
import { randomUuid } from './random/random-source.js';
import { registerWebRoutes } from './web/register-web-routes.js';

/** JSON bodies are never large here; uploads are multipart and have their own limits. */
const JSON_BODY_LIMIT = 1024 * 1024;
/** Node's default (30 s) between request/headers timeout checks would let a slow client overstay by that much. */
const MAX_TIMEOUT_CHECK_MS = 30_000;
const MIN_TIMEOUT_CHECK_MS = 100;

export async function buildApp(deps: Deps): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    genReqId: requestIdGenerator(deps.random),
    requestIdHeader: false,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: config.server.trustProxy,
    // Our onRequest hook answers the 503 while closing instead: Fastify's own skips the hooks,
    // so its answer would have no request id and not the `{"detail": …}` shape.
    return503OnClosing: false,
    // server.ts sets the timeouts themselves; how often Node checks them can only be set here.
    http: {
      connectionsCheckingInterval: Math.min(
        MAX_TIMEOUT_CHECK_MS,
        Math.max(MIN_TIMEOUT_CHECK_MS, Math.floor(config.server.requestTimeoutMs / 4)),
      ),
    },
    // Errors before routing and below HTTP still answer `{"detail": …}` with an X-Request-Id.
    frameworkErrors: createFrameworkErrorHandler(deps.metrics),
    clientErrorHandler: createClientErrorHandler({
      newRequestId: () => randomUuid(deps.random),
      metrics: deps.metrics,
    }),
    ajv: {
      customOptions: { coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app);
  app.decorateRequest('account', null);
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('x-content-type-options', 'nosniff');
    // Requests still arriving on kept-alive connections while in-flight ones drain.
    if (closing) {
      reply.header('connection', 'close');
      throw new AppError('overloaded', 'The server is shutting down; retry shortly');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    deps.metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  await app.register(multipart, {
    // Per-request limits in http/multipart.ts tighten these; these are the ceiling.
    limits: {
      fileSize: config.limits.maxUploadBytes,
      files: config.limits.maxBatchFiles,
      fields: 20,
      parts: 100,
    },
    throwFileSizeLimit: true,
  });
  await registerOpenApi(app, { publicUrl: config.server.publicUrl, version: packageVersion() });

  const ctx: RouteContext = {
    deps,
    authenticate: createAuthenticate(deps.apiKeys, deps.web.authenticateSession),
    rateLimit: {
      single: createRateLimitHook({ limiter: deps.rateLimiters.single, clock: deps.clock, scope: 'single' }),
      batch: createRateLimitHook({ limiter: deps.rateLimiters.batch, clock: deps.clock, scope: 'batch' }),
    },
  };
  for (const route of ROUTES) route(app, ctx);
  await registerWebRoutes(app, deps); // /account/**, /playground, /static/*
  await app.ready();
  return app;
}

function packageVersion(): string {
  // src/app.ts and dist/src/app.js are both two levels below package.json.
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}
