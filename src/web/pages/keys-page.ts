/** `/account`: API keys (create, list, revoke) and the balance at a glance. */
import type { ApiKeyInfo } from '../../accounts/api-key-service.js';
import { timeTag } from '../html/format.js';
import { html } from '../html/html.js';
import { csrfField, type PageOptions, renderPage, type Viewer } from '../html/layout.js';

export interface KeysPageModel {
  viewer: Viewer;
  balance: number;
  keys: ApiKeyInfo[];
  /** Present only on the one response after creation: the secret is never shown again. */
  created: { name: string; secret: string } | null;
  publicUrl: string;
  notice?: PageOptions['notice'];
}

export function keysPage(m: KeysPageModel): string {
  const token = m.viewer.csrfToken;
  const active = m.keys.filter((k) => k.revokedAt === null);
  const revoked = m.keys.filter((k) => k.revokedAt !== null);
  const created = m.created
    ? html`<section class="card secret" aria-labelledby="new-key">
        <h2 id="new-key">New key “${m.created.name}”</h2>
        <p><strong>Copy it now: it will not be shown again.</strong> maskd stores only a hash of it.</p>
        <div class="copy-row">
          <input id="new-key-secret" class="mono" readonly value="${m.created.secret}" aria-label="API key secret">
          <button type="button" data-copy="new-key-secret">Copy</button>
        </div>
      </section>`
    : '';
  const row = (k: ApiKeyInfo) => html`<tr>
      <td>${k.name}</td><td class="mono">${k.prefix}…</td>
      <td>${timeTag(k.createdAt)}</td><td>${timeTag(k.lastUsedAt)}</td>
      <td>${
        k.revokedAt === null
          ? html`<form method="post" action="/account/keys/${k.id}/revoke" data-confirm="Revoke “${k.name}”? Requests using it will fail.">
              ${csrfField(token)}<button type="submit" class="danger small">Revoke</button></form>`
          : html`<span class="muted">revoked ${timeTag(k.revokedAt)}</span>`
      }</td></tr>`;
  const body = html`<h1>API keys</h1>
    <p class="lede">Balance: <strong data-balance>${m.balance.toLocaleString('en')}</strong> credits ·
      <a href="/account/credits">top up</a> · <a href="/playground">try the playground</a></p>
    ${created}
    <section class="card">
      <h2>Create a key</h2>
      <form method="post" action="/account/keys" class="inline">
        ${csrfField(token)}
        <label>Name <input name="name" required maxlength="100" placeholder="e.g. production server"></label>
        <button type="submit" class="primary">Create key</button>
      </form>
    </section>
    <section class="card">
      <h2>Your keys</h2>
      ${
        active.length + revoked.length === 0
          ? html`<p class="muted">No keys yet.</p>`
          : html`<div class="table-wrap"><table data-keys>
            <thead><tr><th>Name</th><th>Key</th><th>Created</th><th>Last used</th><th></th></tr></thead>
            <tbody>${active.map(row)}${revoked.map(row)}</tbody></table></div>`
      }
      <p class="muted">Use a key as <code>Authorization: Bearer sk-live-…</code> with
        <code>POST ${m.publicUrl}/v1/services/image-segmentation</code>.</p>
    </section>`;
  return renderPage({ title: 'API keys', section: 'account', viewer: m.viewer, body, notice: m.notice });
}
