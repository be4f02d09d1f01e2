/**
 * Requests and credits per day as an inline SVG bar chart, rendered on the server: no chart
 * library, no client script, readable without JavaScript. Colours come from the stylesheet
 * (`.chart .req`, `.chart .cred`), so the markup carries no inline styles.
 */
import { html, type SafeHtml } from '../html/html.js';
import type { DailyUsage } from './usage-queries.js';

const W = 640;
const H = 180;
const PAD = { top: 12, right: 8, bottom: 24, left: 36 };

export function usageChart(days: readonly DailyUsage[]): SafeHtml {
  const max = Math.max(1, ...days.map((d) => Math.max(d.requests, d.credits)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, days.length);
  const barW = Math.max(1, (slot - 4) / 2);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const bar = (cls: string, x: number, v: number, label: string) =>
    html`<rect class="${cls}" x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - y(v)).toFixed(1)}"><title>${label}</title></rect>`;
  const bars = days.map((d, i) => {
    const x = PAD.left + i * slot + 2;
    return html`${bar('req', x, d.requests, `${d.day}: ${d.requests} requests`)}${bar('cred', x + barW, d.credits, `${d.day}: ${d.credits} credits`)}`;
  });
  const first = days[0]?.day ?? '';
  const last = days[days.length - 1]?.day ?? '';
  const total = days.reduce((a, d) => ({ r: a.r + d.requests, c: a.c + d.credits }), { r: 0, c: 0 });
  return html`<figure class="chart">
  <svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-title" preserveAspectRatio="none">
    <title id="chart-title">Requests and credits per day, ${first} to ${last}: ${total.r} requests, ${total.c} credits</title>
    <line class="axis" x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}"></line>
    <line class="grid" x1="${PAD.left}" y1="${PAD.top}" x2="${W - PAD.right}" y2="${PAD.top}"></line>
    <text class="tick" x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${max}</text>
    <text class="tick" x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end">0</text>
    <text class="tick" x="${PAD.left}" y="${H - 6}">${first.slice(5)}</text>
    <text class="tick" x="${W - PAD.right}" y="${H - 6}" text-anchor="end">${last.slice(5)}</text>
    ${bars}
  </svg>
  <figcaption><span class="key req"></span> requests <span class="key cred"></span> credits · last ${days.length} days (UTC)</figcaption>
</figure>`;
}
