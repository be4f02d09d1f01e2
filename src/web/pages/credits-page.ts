/** `/account/credits`: balance, top-up, and the ledger, newest first, paged by entry id. */
import type { LedgerEntry } from '../../credits/credit-service.js';
import { signedAmount, timeTag } from '../html/format.js';
import { html, type SafeHtml } from '../html/html.js';
import { csrfField, type PageOptions, renderPage, type Viewer } from '../html/layout.js';
import { MAX_TOP_UP, MIN_TOP_UP } from '../top-up/top-up-provider.js';
import type { TopUpRequest } from '../top-up/top-up-requests.js';

export interface CreditsPageModel {
  viewer: Viewer;
  balance: number;
  entries: LedgerEntry[];
  batchIds: Map<string, string>;
  /** Id to pass as `before` for the next (older) page, or null on the last page. */
  olderCursor: number | null;
  /** True when this is not the newest page. */
  paged: boolean;
  topUp: { description: string; recent: TopUpRequest[] };
  notice?: PageOptions['notice'];
}

function reason(e: LedgerEntry): SafeHtml {
  if (e.kind !== 'grant') {
    const what = e.kind === 'debit' ? 'Segmentation' : 'Refund';
    return html`${what}${e.note ? html` <span class="muted">(${e.note})</span>` : ''}`;
  }
  // Top-ups are noted `top-up <request id>` (top-up-requests.ts): name them, keep the id small.
  const topUp = /^top-up ([\w-]+)$/.exec(e.note ?? '');
  if (topUp) return html`Top-up <span class="muted mono" title="${topUp[1]}">${topUp[1].slice(0, 8)}</span>`;
  return html`${e.note ?? 'Credit grant'}`;
}

export function creditsPage(m: CreditsPageModel): string {
  const rows = m.entries.map((e) => {
    const batch = e.jobId ? m.batchIds.get(e.jobId) : undefined;
    return html`<tr><td>${timeTag(e.createdAt)}</td><td class="num">${signedAmount(e.delta)}</td>
      <td class="num">${e.balanceAfter}</td><td>${reason(e)}</td>
      <td class="mono">${e.jobId ?? ''}${batch ? html`<br><span class="muted">batch ${batch}</span>` : ''}</td></tr>`;
  });
  const requests = m.topUp.recent.map(
    (r) => html`<li>${timeTag(r.createdAt)}: ${r.credits.toLocaleString('en')} credits,
      <span class="status status-${r.status}">${r.status}</span></li>`,
  );
  const body = html`<h1>Credits</h1>
    <section class="card balance">
      <p>Balance</p><p class="big" data-balance>${m.balance.toLocaleString('en')}</p>
      <p class="muted">Each processed image costs credits; failed images are refunded.</p>
    </section>
    <section class="card">
      <h2>Top up</h2>
      <p class="muted">${m.topUp.description}</p>
      <form method="post" action="/account/top-up" class="inline">
        ${csrfField(m.viewer.csrfToken)}
        <label>Credits <input type="number" name="credits" required min="${MIN_TOP_UP}" max="${MAX_TOP_UP}" step="1" value="100"></label>
        <button type="submit" class="primary">Top up</button>
      </form>
      ${requests.length > 0 ? html`<h3>Recent requests</h3><ul class="plain" data-top-ups>${requests}</ul>` : ''}
    </section>
    <section class="card">
      <h2>History</h2>
      ${
        rows.length === 0
          ? html`<p class="muted">No credit movements yet.</p>`
          : html`<div class="table-wrap"><table data-ledger>
            <thead><tr><th>Date</th><th class="num">Change</th><th class="num">Balance</th><th>Reason</th><th>Job / batch</th></tr></thead>
            <tbody>${rows}</tbody></table></div>`
      }
      <nav class="pager" aria-label="Ledger pages">
        ${m.paged ? html`<a href="/account/credits">Newest</a>` : ''}
        ${m.olderCursor !== null ? html`<a href="/account/credits?before=${m.olderCursor}" rel="next">Older</a>` : ''}
      </nav>
    </section>`;
  return renderPage({ title: 'Credits', section: 'credits', viewer: m.viewer, body, notice: m.notice });
}
