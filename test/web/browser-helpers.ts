/**
 * Shared by the Chromium tests: launching Debian's Chromium, reading masks the way the page
 * does, and the handful of page globals the in-page predicates read. This file compiles
 * without DOM types, so page-side code names what it touches through `PageGlobals`.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import type { EvalCase as DevSetCase } from '../../src/engine/eval/dev-set-eval.js';
import { decodeImage } from '../../src/engine/image-codec.js';
import type { PlaygroundDebug } from '../../src/web/client/playground-debug.js';

const CHROMIUM = '/usr/bin/chromium';

/** false when Chromium is there; otherwise the reason the browser tests are skipped. */
export const CHROMIUM_SKIP: false | string = existsSync(CHROMIUM)
  ? false
  : `no Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does)`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** What in-page predicates read (pass functions, not strings: the pages' CSP forbids eval). */
export interface PageGlobals {
  __maskd?: PlaygroundDebug;
  document: {
    querySelector(s: string): { dataset: Record<string, string | undefined> } | null;
    cookie: string;
  };
}

/** A dev-set case with the extra fields of `cases.json` the browser tests compare against. */
export interface EvalCase extends DevSetCase {
  area_px: number;
  width: number;
  height: number;
}

export interface MaskBits {
  width: number;
  height: number;
  /** One byte per pixel, row-major, 1 = selected (gray value ≥ 128, as the page decides). */
  bits: Uint8Array;
  /** The gray values themselves, [H, W], for `maskIou`. */
  gray: Uint8Array;
}

export async function maskBits(png: Uint8Array): Promise<MaskBits> {
  const img = await decodeImage(png, 50_000_000);
  const gray = new Uint8Array(img.width * img.height);
  for (let i = 0; i < gray.length; i++) gray[i] = img.data[i * 3];
  const bits = gray.map((v) => (v >= 128 ? 1 : 0));
  return { width: img.width, height: img.height, bits, gray };
}

/** The page's digest (src/web/client/mask-image.ts): FNV-1a over the bits, hex. */
export function maskDigest(bits: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const b of bits) hash = Math.imul(hash ^ b, 0x01000193);
  return (hash >>> 0).toString(16);
}

export function countSelected(bits: Uint8Array): number {
  return bits.reduce((a, b) => a + b, 0);
}

/** The first pixel (row-major) with the wanted bit that is at least `minDist` px from every `away`. */
export function findPixel(
  m: MaskBits,
  want: 0 | 1,
  away: readonly (readonly [number, number])[],
  minDist: number,
): [number, number] {
  for (let i = 0; i < m.bits.length; i++) {
    if (m.bits[i] !== want) continue;
    const x = i % m.width;
    const y = (i - x) / m.width;
    if (away.every(([ax, ay]) => Math.hypot(x - ax, y - ay) >= minDist)) return [x, y];
  }
  throw new Error(`no pixel with bit ${want} far enough from ${JSON.stringify(away)}`);
}
