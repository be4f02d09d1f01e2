import type { FastifyReply } from 'fastify';

/**
 * Aborts when the client disconnects before the answer is sent, so a request still waiting for
 * an inference slot leaves the queue instead of doing work nobody will receive.
 */
export function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}
