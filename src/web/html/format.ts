/** Display helpers for server-rendered pages. Times are shown in UTC: the server knows no zone. */
import { html, type SafeHtml } from './html.js';

/** `<time>` with a machine-readable ISO value and a short UTC label, or a dash for null. */
export function timeTag(ms: number | null): SafeHtml {
  if (ms === null) return html`<span class="muted">–</span>`;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** `+5` / `−1`, with a class for colour. */
export function signedAmount(delta: number): SafeHtml {
  const cls = delta < 0 ? 'neg' : 'pos';
  return html`<span class="amount ${cls}">${delta < 0 ? `−${-delta}` : `+${delta}`}</span>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
