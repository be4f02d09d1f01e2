/**
 * The one place errors become HTTP answers, in FastAPI's shapes (the spec's public contract):
 *   4xx  {"detail": "message"}
 *   422  {"detail": [{"loc": ["query", "points"], "msg": "…", "type": "value_error"}]}
 *   500  {"detail": "Internal server error", "request_id": "…"} — the cause goes only to the log.
 * Three entry points cover every layer: the route error handler, Fastify's pre-routing errors
 * (`createFrameworkErrorHandler`) and Node's HTTP-parser errors (`createClientErrorHandler`); each
 * answer carries an X-Request-Id. The last two run outside the route hooks, so they report their
 * answers to the metrics themselves.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AppError, type ErrorCode, isAppError } from '../errors/app-error.js';
import type { Metrics } from '../metrics/metrics.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import type { ErrorBody, InternalErrorBody, ValidationErrorBody } from './schemas.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Set on routes that take a multipart upload in this field: a body of another content type
     * is then the spec's 400 "no file provided", not a bare 415 that reads like "unsupported image".
     */
    uploadField?: string;
  }
}

const STATUS: Record<ErrorCode, number> = {
  no_file: 400,
  no_prompt: 400,
  undecodable_image: 400,
  malformed_body: 400,
  unauthorized: 401,
  insufficient_credits: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  file_too_large: 413,
  too_many_pixels: 413,
  too_many_files: 413,
  unsupported_media_type: 415,
  invalid_prompt: 422,
  validation: 422,
  rate_limited: 429,
  overloaded: 503,
  model_unavailable: 503,
  model_incompatible: 500,
  checksum_mismatch: 500,
  download_failed: 500,
  internal: 500,
};

/** Seconds a client should wait after a 503, by code. */
const RETRY_AFTER_503: Partial<Record<ErrorCode, number>> = { overloaded: 1, model_unavailable: 30 };

interface ErrorReply {
  status: number;
  body: ErrorBody | ValidationErrorBody | InternalErrorBody;
  headers: Record<string, string>;
}

/** AppError → status, body and headers. 5xx codes other than 503 are answered as internal. */
export function appErrorReply(err: AppError, requestId: string): ErrorReply {
  const status = STATUS[err.code];
  const headers: Record<string, string> = {};
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  // 429, and a 409 the client can simply repeat (an Idempotency-Key still in use).
  if (status === 429 || err.details.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(err.details.retryAfterSeconds ?? 1);
  }
  if (status === 503) headers['retry-after'] = String(RETRY_AFTER_503[err.code] ?? 5);
  if (status === 422) {
    const loc = [err.details.location ?? 'query', err.details.field ?? 'unknown'];
    return { status, headers, body: { detail: [{ loc, msg: err.message, type: 'value_error' }] } };
  }
  if (status >= 500 && status !== 503) return internalReply(requestId);
  return { status, headers, body: { detail: err.message } };
}

function internalReply(requestId: string): ErrorReply {
  return { status: 500, headers: {}, body: { detail: 'Internal server error', request_id: requestId } };
}

const LOCATIONS: Record<string, string> = {
  querystring: 'query',
  params: 'path',
  body: 'body',
  headers: 'header',
};

/** Fastify's schema-validation error → the FastAPI 422 list. */
function validationReply(err: FastifyError): ErrorReply {
  const where = LOCATIONS[err.validationContext ?? ''] ?? 'query';
  const detail = (err.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string }).missingProperty;
    const field = missing ?? v.instancePath.split('/').filter(Boolean).join('.');
    return { loc: [where, field || 'unknown'], msg: v.message ?? 'invalid value', type: 'value_error' };
  });
  return { status: 422, headers: {}, body: { detail } };
}

/**
 * Any thrown value → reply. Fastify's own 4xx errors (bad JSON, unsupported content type, body
 * too large) keep their status and message, which never carry user data beyond the request.
 */
function errorReply(err: unknown, requestId: string): ErrorReply {
  if (isAppError(err)) return appErrorReply(err, requestId);
  const fe = err as FastifyError;
  if (fe?.validation) return validationReply(fe);
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500 && typeof fe.code === 'string' && fe.code.startsWith('FST_')) {
    return { status, headers: {}, body: { detail: fe.message } };
  }
  return internalReply(requestId);
}

const NOT_FOUND = { detail: 'Not Found' };

/** Fastify's content-type refusals, which on an upload route mean "the image is not where we look". */
const NOT_MULTIPART = new Set(['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'FST_ERR_CTP_EMPTY_TYPE']);

function routeErrorReply(err: unknown, request: FastifyRequest): ErrorReply {
  const field = request.routeOptions.config?.uploadField;
  if (field && NOT_MULTIPART.has((err as FastifyError)?.code)) {
    return {
      status: 400,
      headers: {},
      body: { detail: `No file provided: send the image as multipart/form-data in the field "${field}"` },
    };
  }
  return errorReply(err, request.id);
}

/**
 * Errors Fastify raises before routing (`frameworkErrors`): a URL that does not decode is a 400;
 * a path parameter over `maxParamLength` can name no job, so it is the same 404 as any unknown id.
 * Counted under the route `unmatched`, like the other 404s.
 */
export function createFrameworkErrorHandler(metrics: Pick<Metrics, 'observeRequest'>) {
  return function frameworkErrorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    let r: ErrorReply;
    if (err.code === 'FST_ERR_BAD_URL') r = { status: 400, headers: {}, body: { detail: 'Malformed URL' } };
    else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') r = { status: 404, headers: {}, body: NOT_FOUND };
    else {
      request.log.error({ err }, 'request failed before routing');
      r = internalReply(request.id);
    }
    reply.code(r.status).header(REQUEST_ID_HEADER, request.id).headers(r.headers).send(r.body);
    metrics.observeRequest(request.method, 'unmatched', r.status, reply.elapsedTime / 1000);
  };
}

/**
 * Node's HTTP parser refusals (`clientErrorHandler`): a bad request line or framing (a
 * Content-Length that lies, broken chunking), headers over the size limit, or a request that
 * did not arrive within the request timeout. No Fastify request exists yet, so the answer is
 * written to the socket directly, in the same `{"detail": …}` shape and with a request id.
 */
export function createClientErrorHandler(opts: {
  newRequestId: () => string;
  metrics: Pick<Metrics, 'countUnparsed'>;
}) {
  return function clientErrorHandler(
    this: FastifyInstance,
    err: Error & { code?: string },
    socket: Socket,
  ): void {
    // A reset connection has nobody left to answer.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, detail] =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timeout']
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request header fields too large']
          : [400, 'Malformed HTTP request'];
    const id = opts.newRequestId();
    this.log.info({ reqId: id, code: err.code, status }, 'client error');
    opts.metrics.countUnparsed(status);
    if (socket.writable) {
      const body = JSON.stringify({ detail });
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
          'Content-Type: application/json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Request-Id: ${id}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/** Installs the error and not-found handlers. 5xx causes are logged with the request id. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const r = routeErrorReply(err, request);
    if (r.status >= 500) request.log.error({ err }, 'request failed');
    else
      request.log.info(
        { code: isAppError(err) ? err.code : (err as FastifyError).code, status: r.status },
        'request refused',
      );
    // Refused before the body was all read (a 413 mid-upload, a 401 before it): close the
    // connection after answering rather than let Node read and discard the rest of the upload.
    if (!request.raw.complete) reply.header('connection', 'close');
    // The onRequest hook has set it already, unless the error came before that hook ran.
    return reply.code(r.status).header(REQUEST_ID_HEADER, request.id).headers(r.headers).send(r.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).header(REQUEST_ID_HEADER, request.id).send(NOT_FOUND),
  );
}
