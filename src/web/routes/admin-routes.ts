/**
 * `/account/admin`: for accounts flagged admin (404 for everyone else). Every handler starts with
 * `mustAdmin`, which reads the flag as loaded for this request, so a demoted admin is out at once.
 * Grants go through the credit ledger; approving a top-up completes it through
 * `TopUpRequests.complete`, which grants in the same transaction; disabling ends the account's
 * sessions (its keys then get 403).
 */
import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors/app-error.js';
import { noticeFor, withNotice } from '../notices.js';
import { adminPage } from '../pages/admin-page.js';
import { MAX_TOP_UP } from '../top-up/top-up-provider.js';
import { mustAdmin, pageViewer, sendPage } from '../web-request.js';
import type { WebRoute } from '../web-route.js';
import { CsrfField, IdParams, NoticeField } from './form-schemas.js';

const PAGE_SIZE = 50;
const PENDING_SHOWN = 100;
const AdminQuery = Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0 })), notice: NoticeField });
const GrantBody = Type.Object({
  credits: Type.Integer({ minimum: 1, maximum: MAX_TOP_UP }),
  _csrf: CsrfField,
});

export const adminRoutes: WebRoute = (app, deps) => {
  app.get('/account/admin', { schema: { querystring: AdminQuery } }, async (request, reply) => {
    const v = mustAdmin(request);
    const offset = request.query.offset ?? 0;
    const { accounts, total } = deps.accounts.list({ limit: PAGE_SIZE, offset });
    const page = adminPage({
      viewer: pageViewer(v),
      accounts,
      total,
      offset,
      pageSize: PAGE_SIZE,
      // Only requests waiting for a person: a payment provider's are settled by its webhook.
      pending: deps.web.topUp.needsApproval
        ? deps.web.topUpRequests
            .listPending(PENDING_SHOWN, deps.web.topUp.id)
            .map((r) => ({ ...r, email: deps.accounts.get(r.accountId)?.email ?? r.accountId }))
        : [],
      notice: noticeFor(request.query.notice),
    });
    return sendPage(reply, page);
  });

  app.post(
    '/account/admin/accounts/:id/grant',
    { schema: { params: IdParams, body: GrantBody } },
    async (request, reply) => {
      const v = mustAdmin(request);
      deps.credits.grant(request.params.id, request.body.credits, `Granted by ${v.account.email}`);
      return reply.redirect(withNotice('/account/admin', 'granted'), 303);
    },
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/account/admin/accounts/:id/${action}`,
      { schema: { params: IdParams } },
      async (request, reply) => {
        const v = mustAdmin(request);
        const { id } = request.params;
        if (id === v.account.id) throw new AppError('forbidden', 'You cannot disable your own account');
        deps.accounts.setDisabled(id, disabled);
        if (disabled) deps.web.sessions.endAllFor(id);
        return reply.redirect(withNotice('/account/admin', disabled ? 'disabled' : 'enabled'), 303);
      },
    );
  }

  app.post('/account/admin/top-ups/:id/approve', { schema: { params: IdParams } }, async (request, reply) => {
    const v = mustAdmin(request);
    const done = deps.web.topUpRequests.complete(request.params.id, { decidedBy: v.account.id });
    return reply.redirect(withNotice('/account/admin', done ? 'approved' : 'already-decided'), 303);
  });

  app.post('/account/admin/top-ups/:id/reject', { schema: { params: IdParams } }, async (request, reply) => {
    const v = mustAdmin(request);
    const done = deps.web.topUpRequests.reject(request.params.id, { decidedBy: v.account.id });
    return reply.redirect(withNotice('/account/admin', done ? 'rejected' : 'already-decided'), 303);
  });
};
