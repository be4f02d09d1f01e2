/**
 * The playground in a real Chromium (Debian's, headless) against a listening server with the real
 * bundled model: a real photo segmented by click, box, background points, drag-and-drop and the
 * keyboard, with the mask the page drew compared bit for bit with the one the API stored; the
 * downloads; the ledger and usage pages after it; a narrow screen. Screenshots go to
 * test-artifacts/, and the README's playground to docs/.
 *
 * The tests run in order and share one signed-in page (ada); later ones build on earlier state.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadEvalCases } from '../../src/engine/eval/dev-set-eval.js';
import { maskIou } from '../../src/engine/eval/mask-iou.js';
import { EVAL_DEV } from '../cli/run-cli.js';
import { type BrowserFixture, foreignUrls, startBrowserFixture, TEST_PASSWORD } from './browser-fixture.js';
import {
  CHROMIUM_SKIP,
  countSelected,
  type EvalCase,
  findPixel,
  maskBits,
  maskDigest,
  type PageGlobals,
} from './browser-helpers.js';
import type { BrowserServer } from './browser-server.js';

/** The playground's overlay colour and opacity (src/web/client/mask-image.ts, stage-render.ts). */
const OVERLAY_RGB = [30, 144, 255];
const OVERLAY_ALPHA = 0.5;

// Without Chromium: one skipped test carrying the reason, so the runner's summary counts it.
if (CHROMIUM_SKIP) it('playground in Chromium', { skip: CHROMIUM_SKIP }, () => {});
else
  describe('playground in Chromium', { timeout: 150_000 }, () => {
    let f: BrowserFixture;
    let server: BrowserServer;
    let page: Page;
    let adaId: string;
    let lioness: EvalCase;
    let cub: EvalCase;
    let dog: EvalCase;

    before(async () => {
      const cases = (await loadEvalCases(EVAL_DEV)) as EvalCase[];
      const byName = (n: string) => {
        const c = cases.find((x) => x.name === n);
        assert.ok(c, `eval case ${n}`);
        return c;
      };
      lioness = byName('davis17c_lions__lioness');
      cub = byName('davis17c_lions__cub_right');
      dog = byName('davis17c_dog-control__dog');
      f = await startBrowserFixture({ engine: 'onnx' });
      server = f.server;
      page = await (await f.newContext()).newPage();
      adaId = await f.signUp(page, 'ada@example.com');
      server.deps.credits.grant(adaId, 100, 'Welcome credits');
    });
    after(() => f?.close());

    const newContext = (opts?: { width?: number }) => f.newContext(opts);
    const shot = (name: string, opts: { fullPage?: boolean; docs?: string; on?: Page } = {}) =>
      f.shot(opts.on ?? page, name, opts);

    /** Image pixel → page position on the playground canvas (the pixel's centre). */
    async function at(x: number, y: number, c: EvalCase = lioness, p: Page = page) {
      const box = await p.locator('[data-pg=canvas]').boundingBox();
      assert.ok(box);
      return { x: box.x + ((x + 0.5) * box.width) / c.width, y: box.y + ((y + 0.5) * box.height) / c.height };
    }

    async function debug(p: Page = page) {
      return (await p.evaluate(() => (globalThis as unknown as PageGlobals).__maskd)) as NonNullable<
        PageGlobals['__maskd']
      >;
    }
    const curl = async () => (await page.textContent('[data-pg=curl]')) ?? '';
    const jobId = async (p: Page = page) =>
      (await p.locator('[data-playground]').getAttribute('data-job-id')) ?? '';

    /** Waits for a mask newer than the `seen`-th response and for the page to be idle. */
    async function nextMask(seen: number, p: Page = page) {
      await p.waitForFunction(
        (n) => {
          const g = globalThis as unknown as PageGlobals;
          const root = g.document.querySelector('[data-playground]');
          return (g.__maskd?.responses ?? 0) > n && root?.dataset.busy === 'false';
        },
        seen,
        { timeout: 60_000 },
      );
      return debug(p);
    }
    const maskCleared = () =>
      page.waitForFunction(
        () =>
          (globalThis as unknown as PageGlobals).document.querySelector('[data-playground]')?.dataset
            .selectedPixels === '',
      );

    /** A PNG decoded by the browser: its size and how many pixels are fully transparent / opaque. */
    const alphaCounts = (png: Buffer) =>
      page.evaluate(async (b64) => {
        type Ctx = {
          drawImage(image: unknown, x: number, y: number): void;
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        };
        const g = globalThis as unknown as {
          createImageBitmap(blob: unknown, o: object): Promise<{ width: number; height: number }>;
          Blob: new (parts: unknown[]) => unknown;
          OffscreenCanvas: new (w: number, h: number) => { getContext(kind: '2d'): Ctx };
        };
        const raw = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        const bitmap = await g.createImageBitmap(new g.Blob([raw]), {
          premultiplyAlpha: 'none',
          colorSpaceConversion: 'none',
        });
        const { width, height } = bitmap;
        const ctx = new g.OffscreenCanvas(width, height).getContext('2d');
        ctx.drawImage(bitmap, 0, 0);
        const { data } = ctx.getImageData(0, 0, width, height);
        let opaque = 0;
        let transparent = 0;
        for (let i = 3; i < data.length; i += 4) {
          if (data[i] === 255) opaque++;
          else if (data[i] === 0) transparent++;
        }
        return { width, height, opaque, transparent };
      }, png.toString('base64'));

    /** The mask the API stored for the page's current job, as bits. */
    async function servedMask(p: Page = page) {
      const png = await server.deps.jobs.getMask(await jobId(p));
      assert.ok(png, 'the job has a stored mask');
      return maskBits(png);
    }

    it('segments a real photo with a click: busy while encoding, then the overlay over the mask', async () => {
      await page.goto(`${server.url}/playground`);
      await page.waitForSelector('[data-playground][data-ready=true]');
      await shot('playground-empty');
      await page.setInputFiles('[data-pg=file]', join(EVAL_DEV, lioness.image));
      await page.waitForSelector('[data-playground][data-loaded=true]');

      const click = await at(...lioness.click);
      await page.mouse.click(click.x, click.y);
      await page.waitForSelector('[data-playground][data-busy=true]');
      assert.match((await page.textContent('[data-pg=busy-text]')) ?? '', /Encoding/);
      const first = await nextMask(0);
      const gt = await maskBits(await readFile(join(EVAL_DEV, lioness.mask)));
      const served = await servedMask();
      const m = first.lastMask;
      assert.ok(m);
      assert.deepEqual({ w: m.width, h: m.height }, { w: lioness.width, h: lioness.height });
      assert.equal(m.digest, maskDigest(served.bits), 'the page decoded exactly the mask the API returned');
      assert.equal(m.selectedPixels, countSelected(served.bits));
      // The mask is the lioness: around the click, about her size, mostly inside her box.
      const [cx, cy] = lioness.click;
      assert.ok(m.bounds, 'something is selected');
      const [bx1, by1, bx2, by2] = m.bounds;
      assert.ok(bx1 <= cx && cx <= bx2 && by1 <= cy && cy <= by2, `bounds ${m.bounds} hold the click`);
      const fraction = m.selectedPixels / (m.width * m.height);
      const expected = lioness.area_px / (lioness.width * lioness.height);
      assert.ok(Math.abs(fraction - expected) < 0.3 * expected, `foreground ${fraction} vs ${expected}`);
      const clickIou = maskIou(served.gray, gt.gray);
      assert.ok(clickIou > 0.8, `click IoU ${clickIou.toFixed(3)}`);

      // On screen: inside the mask the photo is blended with the overlay colour; outside, untouched.
      const inside = findPixel(served, 1, [[cx, cy]], 25);
      const outside = findPixel(served, 0, [[cx, cy]], 25);
      const probe = (p: [number, number]) =>
        page.evaluate(([x, y]) => (globalThis as unknown as PageGlobals).__maskd?.probe(x, y) ?? null, p);
      const pin = await probe(inside);
      const pout = await probe(outside);
      assert.ok(pin?.selected && pout && !pout.selected);
      pin.shown.forEach((v, i) => {
        const blended = pin.photo[i] * (1 - OVERLAY_ALPHA) + OVERLAY_RGB[i] * OVERLAY_ALPHA;
        assert.ok(Math.abs(v - blended) <= 3, `overlay at ${inside}: ${pin.shown} vs photo ${pin.photo}`);
      });
      assert.deepEqual(pout.shown, pout.photo, `no overlay at ${outside}`);

      assert.equal(await page.textContent('[data-pg=credits]'), '1');
      assert.match((await page.textContent('[data-pg=processing]')) ?? '', /^\d[\d,]* ms$/);
      assert.match((await page.textContent('[data-pg=stats]')) ?? '', /Balance: 99 credits/);
      await shot('playground-click');
    });

    it('segments with a box, combines it with a point, and moves and removes the point', async () => {
      await page.keyboard.press('Escape');
      await maskCleared();
      const [x1, y1, x2, y2] = lioness.box;
      const from = await at(x1, y1);
      const to = await at(x2, y2);
      const seen = (await debug()).responses;
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
      await page.mouse.move(to.x, to.y, { steps: 4 });
      await page.mouse.up();
      const boxed = await nextMask(seen);
      const gt = await maskBits(await readFile(join(EVAL_DEV, lioness.mask)));
      const boxMask = await servedMask();
      assert.equal(boxed.lastMask?.digest, maskDigest(boxMask.bits));
      const boxIou = maskIou(boxMask.gray, gt.gray);
      assert.ok(boxIou > 0.75, `box IoU ${boxIou.toFixed(3)}`);
      const [mx1, my1, mx2, my2] = boxed.lastMask?.bounds ?? [0, 0, 0, 0];
      assert.ok(mx1 >= x1 - 4 && my1 >= y1 - 4 && mx2 <= x2 + 4 && my2 <= y2 + 4, 'mask within the box');
      assert.ok(
        (boxed.lastProcessingMs ?? Infinity) < 1000,
        `cached decode took ${boxed.lastProcessingMs} ms`,
      );
      assert.match(await curl(), new RegExp(`box=\\[${x1},${y1},${x2},${y2}\\]`));
      assert.match(await curl(), /-F "file=@davis17c_lions\.jpg"/);

      // A foreground point inside the box, as a user refining it would.
      const [cx, cy] = lioness.click;
      const click = await at(cx, cy);
      await page.mouse.click(click.x, click.y);
      const combined = await nextMask(boxed.responses);
      assert.ok((combined.lastMask?.selectedPixels ?? 0) > 0);
      assert.match(await curl(), new RegExp(`points=\\[\\[${cx},${cy}\\]\\]&labels=\\[1\\]&box=`));
      await shot('playground-box', { docs: 'playground' });

      // Drag the point somewhere else on her: it moves, it is not a new box.
      const dest = await at(cx + 40, cy - 30);
      await page.mouse.move(click.x, click.y);
      await page.mouse.down();
      await page.mouse.move(dest.x, dest.y, { steps: 5 });
      await page.mouse.up();
      const moved = await nextMask(combined.responses);
      assert.match(
        await curl(),
        new RegExp(`points=\\[\\[${cx + 40},${cy - 30}\\]\\]&labels=\\[1\\]&box=\\[${x1},`),
      );
      // Clicking the point removes it; the box stays.
      await page.mouse.click(dest.x, dest.y);
      await nextMask(moved.responses);
      assert.doesNotMatch(await curl(), /points=/);
      assert.match(await curl(), /box=\[/);
    });

    it('adds background points by right click and by the toggle', async () => {
      await page.click('[data-pg=clear]');
      await maskCleared();
      const lion = await at(...lioness.click);
      await page.mouse.click(lion.x, lion.y);
      const fg = await nextMask((await debug()).responses);
      const [kx, ky] = cub.click;
      const cubAt = await at(kx, ky);
      await page.mouse.click(cubAt.x, cubAt.y, { button: 'right' });
      const withBg = await nextMask(fg.responses);
      assert.match(
        await curl(),
        new RegExp(`points=\\[\\[\\d+,\\d+\\],\\[${kx},${ky}\\]\\]&labels=\\[1,0\\]`),
      );
      const served = await servedMask();
      assert.equal(served.bits[ky * served.width + kx], 0, 'the background point is not in the mask');

      await page.check('input[name=pg-mode][value="0"]');
      const other = await at(kx + 30, ky + 20);
      await page.mouse.click(other.x, other.y);
      await nextMask(withBg.responses);
      assert.match(await curl(), /labels=\[1,0,0\]/);
      await page.check('input[name=pg-mode][value="1"]');
    });

    it('downloads the mask PNG the API returned and a transparent cut-out', async () => {
      const [mask] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-pg=download-mask]'),
      ]);
      assert.equal(mask.suggestedFilename(), 'davis17c_lions-mask.png');
      const downloaded = await readFile((await mask.path()) as string);
      assert.deepEqual(downloaded, await server.deps.jobs.getMask(await jobId()));
      const [cut] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-pg=download-cutout]'),
      ]);
      assert.equal(cut.suggestedFilename(), 'davis17c_lions-cutout.png');
      const bytes = await readFile((await cut.path()) as string);
      assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
      assert.equal(bytes[25], 6, 'RGBA colour type');
      // Opaque exactly where the mask is set, fully transparent everywhere else.
      const served = await servedMask();
      const alpha = await alphaCounts(bytes);
      const selected = countSelected(served.bits);
      assert.deepEqual(alpha, {
        width: served.width,
        height: served.height,
        opaque: selected,
        transparent: served.width * served.height - selected,
      });
    });

    it('works from the keyboard: crosshair, points, remove, undo, clear', async () => {
      await page.focus('[data-pg=stage]');
      await page.keyboard.press('Escape');
      await maskCleared();
      const before = (await debug()).responses;
      // The crosshair starts at the centre (427, 240); Shift+arrow moves 10 steps of 5 px.
      for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.press('Enter');
      const one = await nextMask(before);
      assert.ok((one.lastMask?.selectedPixels ?? 0) > 0);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('b');
      const two = await nextMask(one.responses);
      assert.match(await curl(), /points=\[\[227,240\],\[227,245\]\]&labels=\[1,0\]/);
      await page.keyboard.press('Delete');
      await nextMask(two.responses);
      assert.match(await curl(), /points=\[\[227,240\]\]&labels=\[1\]'/);
      await page.keyboard.press('Backspace');
      assert.match(await curl(), /points=\[\[227,240\],\[227,245\]\]&labels=\[1,0\]/, 'undo brings it back');
      await page.keyboard.press('Control+z');
      await page.keyboard.press('Control+z');
      await maskCleared();
      assert.doesNotMatch(await curl(), /points=/);
    });

    it('opens an image dropped on the stage', async () => {
      const stage = page.locator('[data-pg=stage]');
      const bytes = (await readFile(join(EVAL_DEV, dog.image))).toString('base64');
      const transfer = await page.evaluateHandle(
        ({ b64, name }) => {
          type Dt = { items: { add(f: unknown): void } };
          const g = globalThis as unknown as {
            DataTransfer: new () => Dt;
            File: new (parts: unknown[], name: string, o: { type: string }) => unknown;
          };
          const dt = new g.DataTransfer();
          dt.items.add(
            new g.File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], name, { type: 'image/jpeg' }),
          );
          return dt;
        },
        { b64: bytes, name: 'dog-control.jpg' },
      );
      await stage.dispatchEvent('dragover', { dataTransfer: transfer });
      assert.equal(await page.locator('[data-playground]').getAttribute('data-dragging'), 'true');
      await stage.dispatchEvent('drop', { dataTransfer: transfer });
      await page.waitForSelector('[data-pg=status]:has-text("dog-control.jpg")');
      const click = await at(...dog.click, dog);
      await page.mouse.click(click.x, click.y);
      await page.waitForSelector('[data-playground][data-busy=true]');
      const got = await nextMask((await debug()).responses);
      assert.match(await curl(), /file=@dog-control\.jpg/);
      const served = await servedMask();
      assert.deepEqual([served.width, served.height], [dog.width, dog.height]);
      assert.equal(got.lastMask?.digest, maskDigest(served.bits));
      assert.equal(served.bits[dog.click[1] * served.width + dog.click[0]], 1, 'the mask holds the click');
    });

    it('shows the debits in the ledger, the jobs and chart under usage, and a live mask link', async () => {
      const ledger = server.deps.credits.ledger(adaId, { limit: 100 });
      const debits = ledger.filter((e) => e.kind === 'debit');
      const allJobs = server.deps.jobs.listJobs(adaId, { limit: 100, offset: 0 });
      assert.ok(debits.length >= 10, `${debits.length} debits`);
      await page.goto(`${server.url}/account/credits`);
      const rows = page.locator('table[data-ledger] tbody tr');
      assert.equal(await rows.count(), Math.min(25, ledger.length), 'one page of the ledger');
      const newest = (await rows.first().textContent()) ?? '';
      assert.match(newest, /−1/);
      assert.match(newest, /Segmentation/);
      assert.ok(newest.includes(debits[0].jobId ?? '?'), 'the debit names its job');
      assert.equal(
        (await page.textContent('[data-balance]'))?.trim(),
        String(server.deps.credits.balance(adaId)),
      );
      await shot('credits', { fullPage: true });

      await page.goto(`${server.url}/account/usage`);
      const jobs = page.locator('table[data-jobs] tbody tr');
      assert.equal(await jobs.count(), Math.min(20, allJobs.length));
      const link = await page.locator('table[data-jobs] a:has-text("mask")').first().getAttribute('href');
      assert.ok(link);
      const res = await page.request.get(link);
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['content-type'], 'image/png');
      assert.equal(await page.locator('.chart rect.req').count(), 14);
      // Summed over the 14 days rather than read off today's bar, in case the run spans midnight UTC.
      const total = (await page.textContent('#chart-title')) ?? '';
      const credits = allJobs.reduce((sum, j) => sum + (j.creditsUsed ?? j.creditsReserved), 0);
      assert.match(total, new RegExp(`: ${allJobs.length} requests, ${credits} credits$`));
      await shot('usage', { fullPage: true });
    });

    it('lays the playground out in one column on a narrow screen, and segments there', async () => {
      const phone = await newContext({ width: 390 });
      const p = await phone.newPage();
      await p.setViewportSize({ width: 390, height: 844 });
      await p.goto(`${server.url}/account/sign-in`);
      await p.fill('input[name=email]', 'ada@example.com');
      await p.fill('input[name=password]', TEST_PASSWORD);
      await p.click('button[type=submit]');
      await p.waitForURL(`${server.url}/account`);
      await p.goto(`${server.url}/playground`);
      await p.setInputFiles('[data-pg=file]', join(EVAL_DEV, lioness.image));
      await p.waitForSelector('[data-playground][data-loaded=true]');
      const tap = await at(...lioness.click, lioness, p);
      await p.mouse.click(tap.x, tap.y);
      const got = await nextMask(0, p);
      assert.ok((got.lastMask?.selectedPixels ?? 0) > 0);
      const main = await p.locator('.pg-main').boundingBox();
      const side = await p.locator('.pg-side').boundingBox();
      assert.ok(main && side && side.y >= main.y + main.height - 1, 'side panel below the image');
      const canvas = await p.locator('[data-pg=canvas]').boundingBox();
      assert.ok(canvas && canvas.x >= 0 && canvas.x + canvas.width <= 390, 'canvas fits the screen');
      const scrollWidth = (await p.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
            .documentElement.scrollWidth,
      )) as number;
      assert.ok(scrollWidth <= 390, `no horizontal scroll (${scrollWidth})`);
      const top = await p.locator('header.top').boundingBox();
      assert.ok(top && top.height < 110, `compact header (${top?.height}px)`);
      await shot('playground-narrow', { fullPage: true, on: p });
      for (const [path, name] of [
        ['/account', 'account-narrow'],
        ['/account/credits', 'credits-narrow'],
        ['/account/usage', 'usage-narrow'],
      ]) {
        await p.goto(`${server.url}${path}`);
        const width = (await p.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
              .documentElement.scrollWidth,
        )) as number;
        assert.ok(width <= 390, `${path}: no horizontal scroll (${width})`);
        await shot(name, { fullPage: true, on: p });
      }
      await phone.close();
    });

    it('loaded nothing from outside maskd, and nothing broke the CSP or threw', () => {
      assert.deepEqual(foreignUrls(f.requested), []);
      assert.ok(f.requested.size > 20);
      assert.deepEqual(f.pageProblems, []);
    });
  });
