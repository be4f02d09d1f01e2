/** `/account/admin`: accounts (grant credits, disable/enable) and the top-up approval queue. */
import type { Account } from '../../accounts/account-service.js';
import { timeTag } from '../html/format.js';
import { html } from '../html/html.js';
import { csrfField, type PageOptions, renderPage, type Viewer } from '../html/layout.js';
import type { TopUpRequest } from '../top-up/top-up-requests.js';

export interface AdminPageModel {
  viewer: Viewer & { accountId: string };
  accounts: Account[];
  total: number;
  offset: number;
  pageSize: number;
  pending: (TopUpRequest & { email: string })[];
  notice?: PageOptions['notice'];
}

export function adminPage(m: AdminPageModel): string {
  const token = m.viewer.csrfToken;
  const pending = m.pending.map(
    (
      r,
    ) => html`<tr><td>${timeTag(r.createdAt)}</td><td>${r.email}</td><td class="num">${r.credits.toLocaleString('en')}</td>
      <td class="actions">
        <form method="post" action="/account/admin/top-ups/${r.id}/approve">${csrfField(token)}<button type="submit" class="primary small">Approve</button></form>
        <form method="post" action="/account/admin/top-ups/${r.id}/reject" data-confirm="Reject this request?">${csrfField(token)}<button type="submit" class="small">Reject</button></form>
      </td></tr>`,
  );
  const accounts = m.accounts.map((a) => {
    const self = a.id === m.viewer.accountId;
    return html`<tr${a.disabledAt !== null ? html` class="disabled"` : ''}>
      <td>${a.email}${a.isAdmin ? html` <span class="badge">admin</span>` : ''}</td>
      <td>${timeTag(a.createdAt)}</td>
      <td>${a.disabledAt === null ? html`<span class="status status-active">active</span>` : html`<span class="status status-disabled">disabled</span>`}</td>
      <td class="num">${a.balance.toLocaleString('en')}</td>
      <td class="actions">
        <form method="post" action="/account/admin/accounts/${a.id}/grant" class="inline compact">
          ${csrfField(token)}
          <input type="number" name="credits" min="1" max="1000000" step="1" required aria-label="Credits to grant to ${a.email}" placeholder="credits">
          <button type="submit" class="small">Grant</button>
        </form>
        ${
          self
            ? ''
            : html`<form method="post" action="/account/admin/accounts/${a.id}/${a.disabledAt === null ? 'disable' : 'enable'}"
                ${a.disabledAt === null ? html`data-confirm="Disable ${a.email}? Their keys and sessions stop working."` : ''}>
                ${csrfField(token)}<button type="submit" class="small ${a.disabledAt === null ? 'danger' : ''}">${a.disabledAt === null ? 'Disable' : 'Enable'}</button></form>`
        }
      </td></tr>`;
  });
  const prev = m.offset > 0 ? Math.max(0, m.offset - m.pageSize) : null;
  const next = m.offset + m.pageSize < m.total ? m.offset + m.pageSize : null;
  const body = html`<h1>Admin</h1>
    <section class="card">
      <h2>Pending top-ups</h2>
      ${
        pending.length === 0
          ? html`<p class="muted">Nothing waiting.</p>`
          : html`<div class="table-wrap"><table data-pending><thead><tr><th>Requested</th><th>Account</th><th class="num">Credits</th><th></th></tr></thead>
            <tbody>${pending}</tbody></table></div>`
      }
    </section>
    <section class="card">
      <h2>Accounts <span class="muted">(${m.total})</span></h2>
      <div class="table-wrap"><table data-accounts><thead><tr><th>Email</th><th>Created</th><th>Status</th><th class="num">Balance</th><th></th></tr></thead>
      <tbody>${accounts}</tbody></table></div>
      <nav class="pager" aria-label="Account pages">
        ${prev !== null ? html`<a href="/account/admin?offset=${prev}">Previous</a>` : ''}
        ${next !== null ? html`<a href="/account/admin?offset=${next}" rel="next">Next</a>` : ''}
      </nav>
    </section>`;
  return renderPage({ title: 'Admin', section: 'admin', viewer: m.viewer, body, notice: m.notice });
}
