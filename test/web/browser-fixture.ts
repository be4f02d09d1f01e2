/**
 * What every Chromium test file sets up once: a listening maskd, one browser, and contexts that
 * record every URL requested, every CSP violation and every uncaught page error, so each file can
 * end by asserting that the pages loaded nothing from elsewhere and ran cleanly under the CSP.
 *
 * @example
 *   const f = await startBrowserFixture({ engine: 'stub' });
 *   const page = await (await f.newContext()).newPage();
 *   const id = await f.signUp(page, 'ada@example.com');
 *   await f.shot(page, 'account', { docs: 'account' });
 *   await f.close();
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from '../cli/run-cli.js';
import { launchChromium } from './browser-helpers.js';
import { type BrowserServer, startBrowserServer } from './browser-server.js';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const DOCS = join(REPO_ROOT, 'docs');
export const TEST_PASSWORD = 'correct horse battery';

export interface BrowserFixture {
  server: BrowserServer;
  browser: Browser;
  newContext(opts?: { width?: number; headers?: Record<string, string> }): Promise<BrowserContext>;
  /**
   * A screenshot under test-artifacts/, and the same bytes as docs/`docs`.png when given (the
   * README's). Captured with animations stopped, no caret and the mouse parked in a corner, so
   * the README's images show the page at rest rather than mid-hover or mid-transition.
   */
  shot(page: Page, name: string, opts?: { fullPage?: boolean; docs?: string }): Promise<void>;
  /** Signs up through the real form and returns the new account's id. */
  signUp(page: Page, email: string): Promise<string>;
  /** Every URL any page asked for. */
  readonly requested: ReadonlySet<string>;
  /** Console reports of anything the CSP blocked, and uncaught errors in page scripts. */
  readonly pageProblems: readonly string[];
  close(): Promise<void>;
}

export async function startBrowserFixture(opts: {
  engine: 'onnx' | 'stub';
  env?: Record<string, string>;
}): Promise<BrowserFixture> {
  await mkdir(ARTIFACTS, { recursive: true });
  await mkdir(DOCS, { recursive: true });
  const server = await startBrowserServer(opts);
  const browser = await launchChromium();
  const requested = new Set<string>();
  const pageProblems: string[] = [];

  return {
    server,
    browser,
    requested,
    pageProblems,
    async newContext(o = {}) {
      const ctx = await browser.newContext({
        viewport: { width: o.width ?? 1280, height: 860 },
        acceptDownloads: true,
        extraHTTPHeaders: o.headers,
      });
      ctx.on('request', (r) => requested.add(r.url()));
      ctx.on('page', (p) => {
        p.on('dialog', (d) => void d.accept());
        p.on('pageerror', (err) => pageProblems.push(`${p.url()}: ${err.message}`));
        p.on('console', (m) => {
          if (m.type() === 'error' && /Content Security Policy/i.test(m.text()))
            pageProblems.push(`${p.url()}: ${m.text()}`);
        });
      });
      return ctx;
    },
    async shot(page, name, o = {}) {
      await page.mouse.move(0, 0);
      const png = await page.screenshot({ fullPage: o.fullPage, animations: 'disabled', caret: 'hide' });
      await writeFile(join(ARTIFACTS, `${name}.png`), png);
      if (o.docs) await writeFile(join(DOCS, `${o.docs}.png`), png);
    },
    async signUp(page, email) {
      await page.goto(`${server.url}/account/sign-up`);
      await page.fill('input[name=email]', email);
      await page.fill('input[name=password]', TEST_PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(`${server.url}/account`);
      return server.deps.accounts.getByEmail(email)?.id ?? '';
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** URLs in `requested` that maskd did not serve (blob: and data: are the page's own). */
export function foreignUrls(requested: Iterable<string>): string[] {
  return [...requested].filter(
    (u) => !u.startsWith('blob:') && !u.startsWith('data:') && !/^http:\/\/127\.0\.0\.1:\d+\//.test(u),
  );
}
