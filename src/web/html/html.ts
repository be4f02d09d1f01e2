/**
 * Server-side HTML templating with escaping by default. Every interpolated value is escaped
 * unless it is already `SafeHtml` (the result of another `html` template), so user-controlled
 * text (emails, key names, reasons, filenames) can never become markup by accident.
 *
 * @example
 *   const row = html`<td>${key.name}</td>`; // key.name is escaped
 *   const page = html`<table>${rows}</table>`; // arrays of SafeHtml are joined as-is
 */

/**
 * A string that is already valid, escaped HTML. Only `html` creates one: there is deliberately
 * no way to mark other text as safe, and pages carry no inline script (see the CSP).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes for both text content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}
