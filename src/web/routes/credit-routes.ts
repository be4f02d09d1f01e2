/** `/account/credits`: balance, ledger pages and the top-up action. */
import { Type } from '@sinclair/typebox';
import { isAppError } from '../../errors/app-error.js';
import { noticeFor, withNotice } from '../notices.js';
import { creditsPage } from '../pages/credits-page.js';
import { mustViewer, pageViewer, sendPage, viewerOrRedirect } from '../web-request.js';
import type { WebRoute } from '../web-route.js';
import { CsrfField, NoticeField } from './form-schemas.js';

const LEDGER_PAGE_SIZE = 25;

const CreditsQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  notice: NoticeField,
});
const TopUpBody = Type.Object({
  // A string, not an integer: a bad amount re-renders with a message instead of a 400 page.
  credits: Type.String({ maxLength: 20 }),
  _csrf: CsrfField,
});

export const creditRoutes: WebRoute = (app, deps) => {
  app.get('/account/credits', { schema: { querystring: CreditsQuery } }, async (request, reply) => {
    const v = viewerOrRedirect(request, reply, '/account/credits');
    if (!v) return reply;
    const { before } = request.query;
    // One extra row tells whether an older page exists.
    const rows = deps.credits.ledger(v.account.id, { limit: LEDGER_PAGE_SIZE + 1, beforeId: before });
    const entries = rows.slice(0, LEDGER_PAGE_SIZE);
    const jobIds = entries.flatMap((e) => (e.jobId ? [e.jobId] : []));
    const page = creditsPage({
      viewer: pageViewer(v),
      balance: deps.credits.balance(v.account.id),
      entries,
      batchIds: deps.web.usage.batchIdsOf(v.account.id, jobIds),
      olderCursor: rows.length > LEDGER_PAGE_SIZE ? (entries[entries.length - 1]?.id ?? null) : null,
      paged: before !== undefined,
      topUp: {
        description: deps.web.topUp.description,
        recent: deps.web.topUpRequests.listForAccount(v.account.id, 5),
      },
      notice: noticeFor(request.query.notice),
    });
    return sendPage(reply, page);
  });

  app.post('/account/top-up', { schema: { body: TopUpBody } }, async (request, reply) => {
    const v = mustViewer(request);
    const credits = /^\d{1,9}$/.test(request.body.credits.trim())
      ? Number(request.body.credits.trim())
      : Number.NaN;
    try {
      const started = await deps.web.topUp.begin({
        accountId: v.account.id,
        credits,
        returnUrl: `${deps.config.server.publicUrl}/account/credits`,
      });
      if (started.kind === 'redirect') return reply.redirect(started.url, 303);
      return reply.redirect(withNotice('/account/credits', 'top-up-requested'), 303);
    } catch (err) {
      if (isAppError(err) && err.code === 'validation')
        return reply.redirect(withNotice('/account/credits', 'top-up-invalid'), 303);
      if (isAppError(err) && err.code === 'conflict')
        return reply.redirect(withNotice('/account/credits', 'top-up-limit'), 303);
      throw err;
    }
  });
};
