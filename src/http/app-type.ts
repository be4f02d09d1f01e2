import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, onRequestHookHandler, RawServerDefault } from 'fastify';
import type { Deps } from '../deps.js';

/** The Fastify instance with TypeBox typing: route handlers see `Static<>` types of their schemas. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What each route module gets: the services, and the shared per-app guards. */
export interface RouteContext {
  deps: Deps;
  authenticate: onRequestHookHandler;
  rateLimit: { single: onRequestHookHandler; batch: onRequestHookHandler };
}

/** A route module registers its route(s): schema beside handler, nothing else. */
export type RouteModule = (app: App, ctx: RouteContext) => void;

/** Bearer auth for the OpenAPI document. */
export const BEARER_SECURITY = [{ bearerAuth: [] }] as const;
