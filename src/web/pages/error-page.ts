/** A full page for errors on web routes (the API answers JSON; these answer HTML). */
import { html } from '../html/html.js';
import { renderPage, type Viewer } from '../html/layout.js';

export function errorPage(opts: {
  status: number;
  title: string;
  message: string;
  viewer: Viewer | null;
}): string {
  const body = html`<section class="card"><h1>${opts.title}</h1><p>${opts.message}</p>
    <p><a href="${opts.viewer ? '/account' : '/account/sign-in'}">Back</a></p></section>`;
  return renderPage({ title: opts.title, viewer: opts.viewer, body });
}
