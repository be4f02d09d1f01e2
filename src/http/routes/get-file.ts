/**
 * GET /v1/files/:job_id?expires=…&sig=… — a mask PNG. The signature is the credential (like a
 * presigned bucket URL), so the link works in an <img> tag or a download manager without the
 * API key. A missing, tampered or expired signature is one 403 that says nothing more; a valid
 * one whose file has passed retention is 404.
 */
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors/app-error.js';
import type { RouteModule } from '../app-type.js';
import { filePath } from '../job-presenter.js';
import { errorResponses } from '../schemas.js';

const Params = Type.Object({ job_id: Type.String() });
// Optional and loose on purpose (a repeated parameter arrives as an array): any bad value must be
// the same 403, not a telling 422.
const Loose = (description: string) =>
  Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description }));
const Query = Type.Object({
  expires: Loose('Expiry, unix seconds (from output_url)'),
  sig: Loose('Signature (from output_url)'),
});
const single = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

export const getFileRoute: RouteModule = (app, { deps }) => {
  app.get(
    '/v1/files/:job_id',
    {
      schema: {
        summary: 'Download a mask PNG (signed URL)',
        tags: ['files'],
        params: Params,
        querystring: Query,
        response: {
          200: {
            description: '8-bit grayscale PNG, 255 = selected',
            content: { 'image/png': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
          },
          ...errorResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      const { job_id } = request.params;
      const { expires, sig } = request.query;
      if (!deps.signer.verify(filePath(job_id), single(expires), single(sig))) {
        throw new AppError('forbidden', 'Invalid or expired signature');
      }
      const png = await deps.jobs.getMask(job_id);
      if (png === null) throw new AppError('not_found', 'File not found or expired');
      return reply
        .type('image/png')
        .header('cache-control', 'private, max-age=300')
        .header('content-disposition', `inline; filename="${job_id}.png"`)
        .send(png);
    },
  );
};
