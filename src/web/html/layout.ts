/**
 * The page shell shared by every web page: head, top navigation, flash notice, footer script.
 * Everything dynamic arrives as escaped `SafeHtml` or plain strings (escaped here).
 */
import { html, type SafeHtml } from './html.js';

export interface Viewer {
  email: string;
  isAdmin: boolean;
  /** Bound to the session; rendered into every form and the sign-out button. */
  csrfToken: string;
}

export interface PageOptions {
  title: string;
  /** Which nav entry is highlighted. */
  section?: 'account' | 'credits' | 'usage' | 'admin' | 'playground' | 'auth';
  viewer: Viewer | null;
  body: SafeHtml;
  notice?: { kind: 'ok' | 'error'; text: string } | null;
  /** Extra module script under /static/, e.g. `playground.js`. */
  script?: string;
}

/** Hidden CSRF field for a form. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function renderPage(opts: PageOptions): string {
  const v = opts.viewer;
  const link = (href: string, section: PageOptions['section'], label: string) =>
    html`<a href="${href}"${opts.section === section ? html` aria-current="page"` : ''}>${label}</a>`;
  const nav = v
    ? html`<nav class="nav" aria-label="Main">
        ${link('/account', 'account', 'API keys')} ${link('/account/credits', 'credits', 'Credits')}
        ${link('/account/usage', 'usage', 'Usage')} ${link('/playground', 'playground', 'Playground')}
        ${v.isAdmin ? link('/account/admin', 'admin', 'Admin') : ''}
      </nav>
      <form class="signout" method="post" action="/account/sign-out">
        ${csrfField(v.csrfToken)}<span class="who">${v.email}</span>
        <button type="submit" class="link">Sign out</button>
      </form>`
    : html`<nav class="nav" aria-label="Main">${link('/account/sign-in', 'auth', 'Sign in')}</nav>`;
  const notice = opts.notice
    ? html`<p class="notice notice-${opts.notice.kind}" role="${opts.notice.kind === 'error' ? 'alert' : 'status'}">${opts.notice.text}</p>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · maskd</title>
<link rel="stylesheet" href="/static/maskd.css">
<link rel="icon" href="data:,">
</head>
<body>
<header class="top">
  <a class="brand" href="${v ? '/account' : '/account/sign-in'}">maskd</a>
  ${nav}
</header>
<main class="page page-${opts.section ?? 'account'}">
${notice}
${opts.body}
</main>
<script type="module" src="/static/copy-buttons.js"></script>
${opts.script ? html`<script type="module" src="/static/${opts.script}"></script>` : ''}
</body>
</html>
`.value;
}
