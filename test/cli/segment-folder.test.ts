/**
 * Folder mode of `maskd segment` in process, with the stub engine behind the CLI's engine port:
 * how many images run at once (--jobs), one mask per image, the progress bar and failures.
 * The real model through the real binary is in segment-cli.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { createStubEngine, type Engine } from '../../src/engine/index.js';
import { markedImage } from '../engine/fixtures/test-images.js';
import { pngHeader } from './mask-png.js';

function sink() {
  let text = '';
  return {
    write: (s: string) => {
      text += s;
    },
    get text() {
      return text;
    },
  };
}

describe('maskd segment <folder> (in process, stub engine)', () => {
  let cwd: string;
  let photos: string;

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'maskd-folder-'));
    photos = join(cwd, 'photos');
    await mkdir(photos);
    for (const [i, w] of [40, 50, 60].entries()) {
      const img = await markedImage(
        w,
        30,
        { left: 1, top: 1, width: 4, height: 4 },
        i === 1 ? 'jpeg' : 'png',
      );
      await writeFile(join(photos, `p${i}.${i === 1 ? 'jpg' : 'png'}`), img);
    }
  });
  after(async () => {
    process.exitCode = 0; // main() sets it; the failing runs below are expected
    await rm(cwd, { recursive: true, force: true });
  });

  /** Runs the CLI; records the concurrency each opened engine got and whether it was closed. */
  async function run(args: string[]) {
    const engines: { concurrency: number; closed: boolean }[] = [];
    const out = sink();
    const err = sink();
    const code = await main(['segment', ...args], {
      cwd,
      env: { MASKD_DATA_DIR: join(cwd, 'data'), MASKD_ENGINE: 'stub' },
      stdout: out,
      stderr: err,
      ports: {
        openEngine: async (config): Promise<Engine> => {
          const record = { concurrency: config.engine.concurrency, closed: false };
          engines.push(record);
          const engine = createStubEngine({
            maxPixels: config.limits.maxPixels,
            concurrency: record.concurrency,
          });
          return {
            ...engine,
            close: async () => {
              record.closed = true;
              await engine.close();
            },
          };
        },
      },
    });
    return { code, stdout: out.text, stderr: err.text, engines };
  }

  it('runs one image per core by default, never more than there are images', async () => {
    const r = await run(['photos', '--box', '[0,0,20,20]', '-o', 'out-default']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.engines, [{ concurrency: Math.min(availableParallelism(), 3), closed: true }]);
    const masks = (await readdir(join(cwd, 'out-default'))).sort();
    assert.deepEqual(masks, ['p0.mask.png', 'p1.mask.png', 'p2.mask.png']);
    assert.deepEqual(pngHeader(await readFile(join(cwd, 'out-default', 'p2.mask.png'))), {
      width: 60,
      height: 30,
      bitDepth: 8,
      colorType: 0,
    });
    // Not a terminal: one progress line per step, ending at 3 / 3.
    assert.match(r.stderr, /^segment {2}\[\.{24}\] {3}0% {2}0 \/ 3$/m);
    assert.match(r.stderr, /^segment {2}\[#{24}\] 100% {2}3 \/ 3$/m);
    assert.equal(r.stdout, `3 ok, 0 failed; masks in ${join(cwd, 'out-default')}\n`);

    const many = await run(['photos', '--box', '[0,0,20,20]', '-o', 'out-many', '--jobs', '8']);
    assert.deepEqual(many.engines, [{ concurrency: 3, closed: true }]);
  });

  it('honours --jobs and rejects a bad value as a usage error', async () => {
    const one = await run(['photos', '--box', '[0,0,20,20]', '-o', 'out-one', '-j', '1']);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(one.engines, [{ concurrency: 1, closed: true }]);
    for (const bad of ['0', '-1', '1.5', 'two']) {
      const r = await run(['photos', '--box', '[0,0,20,20]', '--jobs', bad]);
      assert.equal(r.code, 2, bad);
      assert.equal(
        r.stderr,
        `maskd: --jobs: expected a whole number of at least 1, got "${bad}" (see: maskd segment --help)\n`,
      );
      assert.deepEqual(r.engines, [], 'no model loaded');
    }
  });

  it('records a box outside one image as that image failing, and exits 1', async () => {
    // x2 = 45 fits the 50- and 60-pixel-wide images, not the 40-pixel one.
    const r = await run(['photos', '--box', '[0,0,45,20]', '-o', 'out-partial', '--json']);
    assert.equal(r.code, 1);
    const summary = JSON.parse(r.stdout) as {
      ok: number;
      failed: number;
      results: { input: string; error?: { code: string } }[];
    };
    assert.deepEqual([summary.ok, summary.failed], [2, 1]);
    assert.equal(summary.results[0]?.error?.code, 'invalid_prompt');
    assert.deepEqual((await readdir(join(cwd, 'out-partial'))).sort(), ['p1.mask.png', 'p2.mask.png']);
    assert.equal(r.engines[0]?.closed, true);
  });

  it('refuses an -o that cannot be a folder before loading the model', async () => {
    await writeFile(join(cwd, 'a-file'), 'x');
    const r = await run(['photos', '--box', '[0,0,20,20]', '-o', 'a-file/masks']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^maskd: -o: cannot create the folder .*a-file\/masks \((ENOTDIR|EEXIST)\) \(see: maskd segment --help\)\n$/,
    );
    assert.deepEqual(r.engines, []);
  });
});
