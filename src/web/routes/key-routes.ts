/**
 * `/account`: API keys. A new key's secret reaches the page through a sealed one-shot cookie
 * (see sealed-flash.ts) and is gone on reload; only the key service's hash is stored.
 */
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors/app-error.js';
import { readCookie } from '../auth/cookies.js';
import { FLASH_COOKIE, FLASH_TTL_MS } from '../auth/sealed-flash.js';
import { noticeFor, withNotice } from '../notices.js';
import { keysPage } from '../pages/keys-page.js';
import { mustViewer, pageViewer, sendPage, setCookie, viewerOrRedirect } from '../web-request.js';
import type { WebRoute } from '../web-route.js';
import { CsrfField, IdParams, NoticeField } from './form-schemas.js';

const NoticeQuery = Type.Object({ notice: NoticeField });
const CreateKeyBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), _csrf: CsrfField });

export const keyRoutes: WebRoute = (app, deps) => {
  app.get('/account', { schema: { querystring: NoticeQuery } }, async (request, reply) => {
    const v = viewerOrRedirect(request, reply);
    if (!v) return reply;
    const sealed = readCookie(request, FLASH_COOKIE);
    const created = deps.web.flash.open(v.session.idHash, sealed);
    if (sealed !== undefined)
      setCookie(reply, request, deps.config, { name: FLASH_COOKIE, value: '', maxAgeSeconds: 0 });
    const page = keysPage({
      viewer: pageViewer(v),
      balance: deps.credits.balance(v.account.id),
      keys: deps.apiKeys.list(v.account.id),
      created,
      publicUrl: deps.config.server.publicUrl,
      notice: noticeFor(request.query.notice),
    });
    return sendPage(reply, page);
  });

  app.post('/account/keys', { schema: { body: CreateKeyBody } }, async (request, reply) => {
    const v = mustViewer(request);
    const name = request.body.name.trim();
    if (!name) throw new AppError('validation', 'A key needs a name', { field: 'name', location: 'body' });
    const { key } = deps.apiKeys.create({ accountId: v.account.id, name });
    const value = deps.web.flash.seal(v.session.idHash, { name, secret: key });
    setCookie(reply, request, deps.config, { name: FLASH_COOKIE, value, maxAgeSeconds: FLASH_TTL_MS / 1000 });
    return reply.redirect('/account', 303);
  });

  app.post('/account/keys/:id/revoke', { schema: { params: IdParams } }, async (request, reply) => {
    const v = mustViewer(request);
    // Unknown, already revoked and someone else's key: the same 404.
    if (!deps.apiKeys.revoke(v.account.id, request.params.id)) throw new AppError('not_found', 'No such key');
    return reply.redirect(withNotice('/account', 'key-revoked'), 303);
  });
};
