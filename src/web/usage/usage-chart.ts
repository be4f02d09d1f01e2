/**
 * Requests and credits per day as a bar chart rendered on the server: no chart library, no
 * client script, readable without JavaScript. The bars are an SVG stretched to the card's width
 * (`preserveAspectRatio="none"`); every label is HTML around it, so text never stretches with
 * the bars. Colours and layout come from the stylesheet: the CSP forbids inline styles, and
 * SVG geometry attributes are not styles.
 */
import { html, type SafeHtml } from '../html/html.js';
import type { DailyUsage } from './usage-queries.js';

/** viewBox units per day slot and plot height; only proportions matter once stretched. */
const SLOT = 20;
const H = 100;

/** A round axis maximum ≥ `v`: 1, 2, 5 × a power of ten, at least 2 so the midline is whole. */
export function niceMax(v: number): number {
  if (v <= 2) return 2;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

export function usageChart(days: readonly DailyUsage[]): SafeHtml {
  const max = niceMax(Math.max(0, ...days.map((d) => Math.max(d.requests, d.credits))));
  const W = SLOT * Math.max(1, days.length);
  const barW = SLOT * 0.36;
  const bar = (cls: string, x: number, v: number, label: string) => {
    const h = (v / max) * H;
    return html`<rect class="${cls}" x="${x.toFixed(1)}" y="${(H - h).toFixed(2)}" width="${barW.toFixed(1)}" height="${h.toFixed(2)}"><title>${label}</title></rect>`;
  };
  const bars = days.map((d, i) => {
    const x = i * SLOT + SLOT * 0.14;
    return html`${bar('req', x, d.requests, `${d.day}: ${d.requests} requests`)}${bar('cred', x + barW, d.credits, `${d.day}: ${d.credits} credits`)}`;
  });
  // Every other day from the newest backwards, so today is always labelled.
  const labels = days.map(
    (d, i) =>
      html`<span${(days.length - 1 - i) % 2 === 0 ? '' : html` class="skip"`}>${d.day.slice(5)}</span>`,
  );
  const first = days[0]?.day ?? '';
  const last = days[days.length - 1]?.day ?? '';
  const total = days.reduce((a, d) => ({ r: a.r + d.requests, c: a.c + d.credits }), { r: 0, c: 0 });
  return html`<figure class="chart">
  <div class="chart-plot">
    <div class="chart-y" aria-hidden="true"><span>${max}</span><span>${max / 2}</span><span>0</span></div>
    <svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-labelledby="chart-title">
      <title id="chart-title">Requests and credits per day, ${first} to ${last}: ${total.r} requests, ${total.c} credits</title>
      <line class="grid" x1="0" y1="0.5" x2="${W}" y2="0.5"></line>
      <line class="grid" x1="0" y1="${H / 2}" x2="${W}" y2="${H / 2}"></line>
      <line class="axis" x1="0" y1="${H - 0.5}" x2="${W}" y2="${H - 0.5}"></line>
      ${bars}
    </svg>
    <div class="chart-x" aria-hidden="true">${labels}</div>
  </div>
  <figcaption><span class="key req"></span>requests <span class="key cred"></span>credits ·
    last ${days.length} days (UTC): <strong>${total.r.toLocaleString('en')}</strong> requests,
    <strong>${total.c.toLocaleString('en')}</strong> credits</figcaption>
</figure>`;
}
