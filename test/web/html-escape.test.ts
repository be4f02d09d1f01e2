import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, jsonForScript, trustedHtml } from '../../src/web/html/html.js';
import { usageChart } from '../../src/web/usage/usage-chart.js';

const HOSTILE = `<script>alert("x")</script>' onmouseover='x' \`y\` &amp;`;

describe('html templating', () => {
  it('escapes every interpolated string, in text and attributes', () => {
    const out = html`<p title="${HOSTILE}">${HOSTILE}</p>`.value;
    assert.ok(!out.includes('<script>'));
    assert.ok(!out.includes("' onmouseover"));
    assert.equal(out.match(/"/g)?.length, 2, 'only the template’s own quotes survive');
    assert.ok(out.includes('&amp;amp;'));
  });

  it('escapes inside arrays and leaves nested templates alone', () => {
    const rows = ['<b>', 'a&b'].map((s) => html`<li>${s}</li>`);
    assert.equal(html`<ul>${rows}</ul>`.value, '<ul><li>&lt;b&gt;</li><li>a&amp;b</li></ul>');
  });

  it('renders null, undefined and false as nothing, numbers as text', () => {
    assert.equal(html`${null}${undefined}${false}${0}${12.5}`.value, '012.5');
  });

  it('passes trusted constants through unchanged', () => {
    assert.equal(html`${trustedHtml('<br>')}`.value, '<br>');
    assert.equal(escapeHtml('`'), '&#96;');
  });

  it('makes JSON safe inside a script block', () => {
    assert.equal(jsonForScript({ a: '</script>' }).value, '{"a":"\\u003c/script>"}');
  });

  it('draws one bar pair per day in the usage chart', () => {
    const days = [
      { day: '2026-01-01', requests: 2, credits: 2 },
      { day: '2026-01-02', requests: 0, credits: 0 },
      { day: '2026-01-03', requests: 5, credits: 4 },
    ];
    const svg = usageChart(days).value;
    assert.equal(svg.match(/<rect class="req"/g)?.length, 3);
    assert.equal(svg.match(/<rect class="cred"/g)?.length, 3);
    assert.match(svg, /7 requests, 6 credits/);
    assert.ok(!svg.includes('style='), 'no inline styles: the CSP forbids them');
  });
});
