/** `/playground`: the page shell; the client script does the rest against the public API. */
import { playgroundPage } from '../pages/playground-page.js';
import { pageViewer, sendPage, viewerOrRedirect } from '../web-request.js';
import type { WebRoute } from '../web-route.js';

export const playgroundRoutes: WebRoute = (app, deps) => {
  app.get('/playground', async (request, reply) => {
    const v = viewerOrRedirect(request, reply, '/playground');
    if (!v) return reply;
    const page = playgroundPage({
      viewer: pageViewer(v),
      balance: deps.credits.balance(v.account.id),
      publicUrl: deps.config.server.publicUrl,
      creditsPerImage: deps.config.credits.perImage,
    });
    return sendPage(reply, page);
  });
};
