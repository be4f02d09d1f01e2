/**
 * The web app in a real Chromium against a listening server with the real bundled model:
 * account flow, the playground segmenting a real photo, the ledger. Screenshots go to
 * test-artifacts/ and the README's two to docs/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { decodeImage } from '../../src/engine/image-codec.js';
import type { PlaygroundDebug } from '../../src/web/client/playground-debug.js';
import { EVAL_DEV, REPO_ROOT } from '../cli/run-cli.js';
import { type BrowserServer, startBrowserServer } from './browser-server.js';

const CHROMIUM = '/usr/bin/chromium';
const SKIP = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const DOCS = join(REPO_ROOT, 'docs');

interface EvalCase {
  name: string;
  image: string;
  mask: string;
  click: [number, number];
  box: [number, number, number, number];
  area_px: number;
  width: number;
  height: number;
}

/** Gray PNG/JPEG bytes → one byte per pixel, 1 = selected. */
async function maskBits(png: Uint8Array): Promise<{ width: number; height: number; bits: Uint8Array }> {
  const img = await decodeImage(png, 50_000_000);
  const bits = new Uint8Array(img.width * img.height);
  for (let i = 0; i < bits.length; i++) bits[i] = img.data[i * 3] >= 128 ? 1 : 0;
  return { width: img.width, height: img.height, bits };
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i] & b[i];
    union += a[i] | b[i];
  }
  return union === 0 ? 0 : inter / union;
}

describe('web app in Chromium', { skip: SKIP, timeout: 300_000 }, () => {
  let server: BrowserServer;
  let browser: Browser;
  let page: Page;
  let accountId: string;
  let lioness: EvalCase;

  before(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await mkdir(DOCS, { recursive: true });
    const cases = JSON.parse(await readFile(join(EVAL_DEV, 'cases.json'), 'utf8')) as EvalCase[];
    lioness = cases.find((c) => c.name === 'davis17c_lions__lioness') as EvalCase;
    assert.ok(lioness, 'eval case present');
    server = await startBrowserServer({ engine: 'onnx' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Image pixel → page position on the playground canvas. */
  async function at(x: number, y: number): Promise<{ x: number; y: number }> {
    const box = await page.locator('[data-pg=canvas]').boundingBox();
    assert.ok(box);
    return {
      x: box.x + ((x + 0.5) * box.width) / lioness.width,
      y: box.y + ((y + 0.5) * box.height) / lioness.height,
    };
  }

  /** What the playground exposes for tests (expressions are strings: this file has no DOM types). */
  async function pageState(): Promise<{ debug: PlaygroundDebug; jobId: string; selected: string }> {
    return (await page.evaluate(`({
      debug: window.__maskd,
      jobId: document.querySelector('[data-playground]').dataset.jobId ?? '',
      selected: document.querySelector('[data-playground]').dataset.selectedPixels ?? '',
    })`)) as { debug: PlaygroundDebug; jobId: string; selected: string };
  }

  /** Waits for a mask newer than the `seen`-th response, and returns the page's state. */
  async function nextMask(seen: number) {
    await page.waitForFunction(
      `window.__maskd.responses > ${seen} && document.querySelector('[data-playground]').dataset.busy === 'false'`,
      undefined,
      { timeout: 60_000 },
    );
    return pageState();
  }

  const maskCleared = () =>
    page.waitForFunction(`document.querySelector('[data-playground]').dataset.selectedPixels === ''`);

  it('signs up, creates a key shown once, and revokes it', async () => {
    await page.goto(`${server.url}/account/sign-up`);
    await page.fill('input[name=email]', 'ada@example.com');
    await page.fill('input[name=password]', 'correct horse battery');
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/account`);
    accountId = server.deps.accounts.getByEmail('ada@example.com')?.id ?? '';
    server.deps.credits.grant(accountId, 100, 'Welcome credits');

    await page.fill('input[name=name]', 'laptop');
    await page.click('text=Create key');
    await page.waitForURL(`${server.url}/account`);
    const secret = await page.inputValue('#new-key-secret');
    assert.match(secret, /^sk-live-[\w-]{43}$/);
    await page.click('button[data-copy=new-key-secret]');
    await page.screenshot({ path: join(DOCS, 'account.png'), fullPage: true });
    await page.screenshot({ path: join(ARTIFACTS, 'account-key-created.png'), fullPage: true });

    await page.reload();
    assert.equal(await page.locator('#new-key-secret').count(), 0, 'secret gone after reload');
    assert.ok(!(await page.content()).includes(secret));
    assert.equal(await page.locator('table[data-keys] tbody tr').count(), 1);
    await page.click('table[data-keys] button:has-text("Revoke")');
    await page.waitForSelector('text=Key revoked');
    assert.equal(server.deps.apiKeys.authenticate(secret), null);
  });

  it('segments a real photo with a click, then with a box, using the real model', async () => {
    await page.goto(`${server.url}/playground`);
    await page.waitForSelector('[data-playground][data-ready=true]');
    await page.setInputFiles('[data-pg=file]', join(EVAL_DEV, lioness.image));
    await page.waitForSelector('[data-playground][data-loaded=true]');

    // Click: the first request encodes the image, and the page says so while it runs.
    const click = await at(...lioness.click);
    await page.mouse.click(click.x, click.y);
    await page.waitForSelector('[data-playground][data-busy=true]');
    assert.match((await page.textContent('[data-pg=busy-text]')) ?? '', /Encoding/);
    const first = await nextMask(0);
    const gt = await maskBits(await readFile(join(EVAL_DEV, lioness.mask)));
    assert.deepEqual(
      { w: first.debug.lastMask?.width, h: first.debug.lastMask?.height },
      { w: lioness.width, h: lioness.height },
    );
    const served = await maskBits((await server.deps.jobs.getMask(first.jobId)) as Buffer);
    const servedCount = served.bits.reduce((a, b) => a + b, 0);
    assert.equal(
      first.debug.lastMask?.selectedPixels,
      servedCount,
      'the page drew exactly the mask the API returned',
    );
    const clickIou = iou(served.bits, gt.bits);
    assert.ok(clickIou > 0.8, `click IoU ${clickIou.toFixed(3)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-click.png') });

    // Box: Escape clears, then a drag draws the box; the embedding is cached now.
    await page.keyboard.press('Escape');
    await maskCleared();
    const [x1, y1, x2, y2] = lioness.box;
    const from = await at(x1, y1);
    const to = await at(x2, y2);
    const responses = first.debug.responses ?? 0;
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    const boxed = await nextMask(responses);
    const boxMask = await maskBits((await server.deps.jobs.getMask(boxed.jobId)) as Buffer);
    const boxIou = iou(boxMask.bits, gt.bits);
    assert.ok(boxIou > 0.75, `box IoU ${boxIou.toFixed(3)}`);
    assert.ok(
      (boxed.debug.lastProcessingMs ?? Infinity) < 1000,
      `cached decode took ${boxed.debug.lastProcessingMs} ms`,
    );
    const curl = (await page.textContent('[data-pg=curl]')) ?? '';
    assert.match(curl, new RegExp(`box=\\[${x1},${y1},${x2},${y2}\\]`));
    assert.match(curl, /-F "file=@davis17c_lions\.jpg"/);

    // Combined with a foreground point, as a user refining the box would.
    await page.mouse.click(click.x, click.y);
    const combined = await nextMask(boxed.debug.responses ?? 0);
    assert.ok((combined.debug.lastMask?.selectedPixels ?? 0) > 0);
    assert.match(
      (await page.textContent('[data-pg=curl]')) ?? '',
      /points=\[\[\d+,\d+\]\]&labels=\[1\]&box=/,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'playground-box.png') });
    await page.screenshot({ path: join(DOCS, 'playground.png') });
  });

  it('downloads the mask and a transparent cut-out', async () => {
    const [mask] = await Promise.all([page.waitForEvent('download'), page.click('[data-pg=download-mask]')]);
    assert.equal(mask.suggestedFilename(), 'davis17c_lions-mask.png');
    const [cut] = await Promise.all([page.waitForEvent('download'), page.click('[data-pg=download-cutout]')]);
    assert.equal(cut.suggestedFilename(), 'davis17c_lions-cutout.png');
    const bytes = await readFile((await cut.path()) as string);
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    assert.equal(bytes[25], 6, 'RGBA colour type: the background is transparent');
  });

  it('works from the keyboard: crosshair, points, undo, clear', async () => {
    await page.focus('[data-pg=stage]');
    await page.keyboard.press('Escape');
    await maskCleared();
    const before = (await pageState()).debug.responses;
    // The crosshair starts at the centre (427, 240); Shift+arrow moves 10 steps of 5 px.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Enter');
    const one = await nextMask(before);
    assert.ok((one.debug.lastMask?.selectedPixels ?? 0) > 0);
    await page.keyboard.press('b');
    await nextMask(one.debug.responses ?? 0);
    assert.match((await page.textContent('[data-pg=curl]')) ?? '', /labels=\[1,0\]/);
    await page.keyboard.press('Backspace');
    assert.match((await page.textContent('[data-pg=curl]')) ?? '', /points=\[\[227,240\]\]&labels=\[1\]'/);
    await page.keyboard.press('Control+z');
    await maskCleared();
    assert.doesNotMatch((await page.textContent('[data-pg=curl]')) ?? '', /points=/);
  });

  it('shows the debits in the ledger and the jobs under usage', async () => {
    const debits = server.deps.credits.ledger(accountId, { limit: 100 }).filter((e) => e.kind === 'debit');
    assert.ok(debits.length >= 5, `${debits.length} debits`);
    await page.goto(`${server.url}/account/credits`);
    const rows = page.locator('table[data-ledger] tbody tr');
    assert.ok((await rows.count()) >= debits.length);
    assert.match((await rows.first().textContent()) ?? '', /−1/);
    assert.match(
      (await page.textContent('[data-balance]')) ?? '',
      new RegExp(String(server.deps.credits.balance(accountId))),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'credits.png'), fullPage: true });
    await page.goto(`${server.url}/account/usage`);
    assert.ok((await page.locator('table[data-jobs] a:has-text("mask")').count()) >= 1);
    assert.ok((await page.locator('.chart rect.req').count()) === 14);
    await page.screenshot({ path: join(ARTIFACTS, 'usage.png'), fullPage: true });
  });

  it('lays the playground out in one column on a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/playground`);
    await page.setInputFiles('[data-pg=file]', join(EVAL_DEV, lioness.image));
    await page.waitForSelector('[data-playground][data-loaded=true]');
    const main = await page.locator('.pg-main').boundingBox();
    const side = await page.locator('.pg-side').boundingBox();
    assert.ok(main && side && side.y >= main.y + main.height - 1, 'side panel below the image');
    const canvas = await page.locator('[data-pg=canvas]').boundingBox();
    assert.ok(canvas && canvas.width <= 390, 'canvas fits the screen');
    const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    assert.ok(scrollWidth <= 390, `no horizontal scroll (${scrollWidth})`);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-narrow.png'), fullPage: true });
  });
});
