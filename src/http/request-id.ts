/**
 * Request ids: an incoming `X-Request-Id` is kept when it looks like an id (so a proxy's or a
 * client's id ties their logs to ours); anything else is replaced, so log lines and headers never
 * carry arbitrary client text.
 */
import type { IncomingMessage } from 'node:http';
import { type RandomSource, randomUuid } from '../random/random-source.js';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** For fastify's `genReqId`. */
export function requestIdGenerator(random: RandomSource): (req: IncomingMessage) => string {
  return (req) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUuid(random);
  };
}
