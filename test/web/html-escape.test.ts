import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html } from '../../src/web/html/html.js';
import { renderPage } from '../../src/web/html/layout.js';
import { niceMax, usageChart } from '../../src/web/usage/usage-chart.js';

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

  it('escapes backticks too (old IE treated them as attribute quotes)', () => {
    assert.equal(escapeHtml('`'), '&#96;');
  });

  it('renders pages with no inline script or style, which the CSP would block', () => {
    const viewer = { email: HOSTILE, isAdmin: true, csrfToken: 'tok' };
    const page = renderPage({ title: HOSTILE, viewer, body: html`<p>x</p>`, script: 'playground.js' });
    const scripts = page.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 2);
    for (const tag of scripts) assert.match(tag, /^<script type="module" src="\/static\/[\w.-]+\.js">$/);
    assert.doesNotMatch(page, /<style|<[^>]*\s(style|on\w+)=/, 'no style element, style or on* attribute');
    assert.ok(!page.includes('<script>alert'), 'the title and email are escaped');
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
    // The tallest bar (5) sets a round axis maximum; heights are proportional to it (plot: 100).
    assert.match(
      svg,
      /<div class="chart-y" aria-hidden="true"><span>5<\/span><span>2\.5<\/span><span>0<\/span>/,
    );
    const heights = [...svg.matchAll(/<rect class="req" [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(heights, [40, 0, 100]);
  });

  it('rounds the chart axis up to 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual([0, 1, 3, 5, 6, 11, 20, 101, 4999].map(niceMax), [2, 2, 5, 5, 10, 20, 20, 200, 5000]);
  });
});
