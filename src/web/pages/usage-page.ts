/** `/account/usage`: the daily chart, then recent jobs and batches with links to live masks. */
import type { BatchView } from '../../jobs/job-service.js';
import type { JobRecord } from '../../jobs/job-types.js';
import { plural, timeTag } from '../html/format.js';
import { html } from '../html/html.js';
import { renderPage, type Viewer } from '../html/layout.js';
import { usageChart } from '../usage/usage-chart.js';
import type { DailyUsage } from '../usage/usage-queries.js';

export interface UsagePageModel {
  viewer: Viewer;
  days: DailyUsage[];
  /** `maskUrl`: a freshly signed URL while the mask is still stored, else null. */
  jobs: { job: JobRecord; maskUrl: string | null }[];
  batches: BatchView[];
}

export function usagePage(m: UsagePageModel): string {
  const jobRows = m.jobs.map(
    ({ job: j, maskUrl }) => html`<tr>
      <td>${timeTag(j.createdAt)}</td>
      <td class="mono">${j.id}${j.batchId ? html`<br><span class="muted">batch ${j.batchId}</span>` : ''}</td>
      <td>${j.inputFilename ?? ''}</td>
      <td><span class="status status-${j.status}">${j.status}</span></td>
      <td>${j.originalWidth !== null && j.originalHeight !== null ? `${j.originalWidth}×${j.originalHeight}` : '–'}</td>
      <td class="num">${j.creditsUsed ?? j.creditsReserved}</td>
      <td class="num">${j.processingTimeMs === null ? '–' : `${Math.round(j.processingTimeMs)} ms`}</td>
      <td>${maskUrl ? html`<a href="${maskUrl}" target="_blank" rel="noopener">mask</a>` : html`<span class="muted">–</span>`}</td>
    </tr>`,
  );
  const batchRows = m.batches.map(
    ({ batch: b, summary: s }) => html`<tr><td>${timeTag(b.createdAt)}</td><td class="mono">${b.id}</td>
      <td><span class="status status-${s.status}">${s.status}</span></td>
      <td>${plural(b.totalFiles, 'file')}: ${s.completed} completed, ${s.failed} failed</td>
      <td class="num">${s.totalCreditsUsed}</td></tr>`,
  );
  const body = html`<h1>Usage</h1>
    <section class="card"><h2>Requests and credits per day</h2>${usageChart(m.days)}</section>
    <section class="card">
      <h2>Recent jobs</h2>
      ${
        jobRows.length === 0
          ? html`<p class="muted">No requests yet. Try the <a href="/playground">playground</a>.</p>`
          : html`<div class="table-wrap"><table data-jobs>
            <thead><tr><th>Date</th><th>Job</th><th>File</th><th>Status</th><th>Size</th><th class="num">Credits</th><th class="num">Time</th><th>Mask</th></tr></thead>
            <tbody>${jobRows}</tbody></table></div>`
      }
    </section>
    <section class="card">
      <h2>Recent batches</h2>
      ${
        batchRows.length === 0
          ? html`<p class="muted">No batches yet.</p>`
          : html`<div class="table-wrap"><table data-batches>
            <thead><tr><th>Date</th><th>Batch</th><th>Status</th><th>Files</th><th class="num">Credits</th></tr></thead>
            <tbody>${batchRows}</tbody></table></div>`
      }
    </section>`;
  return renderPage({ title: 'Usage', section: 'usage', viewer: m.viewer, body });
}
