/** Sign-in and sign-up forms. Rendered for signed-out visitors, with an anonymous CSRF token. */
import { html } from '../html/html.js';
import { csrfField, renderPage } from '../html/layout.js';

export interface AuthFormState {
  csrfToken: string;
  signupEnabled: boolean;
  /** Re-filled after a failed attempt; never the password. */
  email?: string;
  error?: string | null;
  /** Notice after a redirect, e.g. signed out. */
  info?: string | null;
  /** Where to go after signing in; an allow-listed path. */
  next?: string;
}

const notice = (s: AuthFormState) =>
  s.error
    ? ({ kind: 'error', text: s.error } as const)
    : s.info
      ? ({ kind: 'ok', text: s.info } as const)
      : null;

export function signInPage(s: AuthFormState): string {
  const body = html`<section class="card auth">
    <h1>Sign in</h1>
    <form method="post" action="/account/sign-in" class="stack">
      ${csrfField(s.csrfToken)}<input type="hidden" name="next" value="${s.next ?? '/account'}">
      <label>Email <input type="email" name="email" autocomplete="username" required maxlength="320" value="${s.email ?? ''}" autofocus></label>
      <label>Password <input type="password" name="password" autocomplete="current-password" required maxlength="1024"></label>
      <button type="submit" class="primary">Sign in</button>
    </form>
    ${
      s.signupEnabled
        ? html`<p>No account yet? <a href="/account/sign-up">Create one</a>.</p>`
        : html`<p class="muted">Accounts are created by the operator of this server.</p>`
    }
  </section>`;
  return renderPage({
    title: 'Sign in',
    section: 'auth',
    viewer: null,
    body,
    notice: notice(s),
  });
}

export function signUpPage(s: AuthFormState & { minPasswordLength: number }): string {
  const body = html`<section class="card auth">
    <h1>Create an account</h1>
    <form method="post" action="/account/sign-up" class="stack">
      ${csrfField(s.csrfToken)}<input type="hidden" name="next" value="${s.next ?? '/account'}">
      <label>Email <input type="email" name="email" autocomplete="username" required maxlength="320" value="${s.email ?? ''}" autofocus></label>
      <label><span>Password <span class="muted">(at least ${s.minPasswordLength} characters)</span></span>
        <input type="password" name="password" autocomplete="new-password" required minlength="${s.minPasswordLength}" maxlength="1024"></label>
      <button type="submit" class="primary">Create account</button>
    </form>
    <p>Already registered? <a href="/account/sign-in">Sign in</a>.</p>
  </section>`;
  return renderPage({
    title: 'Create an account',
    section: 'auth',
    viewer: null,
    body,
    notice: notice(s),
  });
}
