/** `/account/usage`: per-day chart plus recent jobs and batches from the job service. */
import { filePath } from '../../http/job-presenter.js';
import { usagePage } from '../pages/usage-page.js';
import { pageViewer, sendPage, viewerOrRedirect } from '../web-request.js';
import type { WebRoute } from '../web-route.js';

const CHART_DAYS = 14;
const RECENT_JOBS = 20;
const RECENT_BATCHES = 10;

export const usageRoutes: WebRoute = (app, deps) => {
  app.get('/account/usage', async (request, reply) => {
    const v = viewerOrRedirect(request, reply, '/account/usage');
    if (!v) return reply;
    const accountId = v.account.id;
    const jobs = deps.jobs.listJobs(accountId, { limit: RECENT_JOBS, offset: 0 }).map((job) => ({
      job,
      // Signed afresh, like the API's own reads: valid for the full TTL while the mask is kept.
      maskUrl: job.status === 'completed' && job.maskKey !== null ? deps.signer.sign(filePath(job.id)) : null,
    }));
    const page = usagePage({
      viewer: pageViewer(v),
      days: deps.web.usage.daily(accountId, deps.clock.now(), CHART_DAYS),
      jobs,
      batches: deps.jobs.listBatches(accountId, { limit: RECENT_BATCHES, offset: 0 }),
    });
    return sendPage(reply, page);
  });
};
