/**
 * The spec's own curl examples, run against a listening server with only the host (and key)
 * swapped. Two artefacts of the scraped spec page are undone: `-F "[email protected]"` is an
 * email-obfuscated `-F "file=@photo.jpg"`, and curl needs `-g` (globoff) because the unencoded
 * `[`/`]` in the examples' query strings are curl URL-glob syntax (exit 3 without it).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { EVAL_DIR } from '../helpers/shared-files.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const run = promisify(execFile);
const copy = promisify(copyFile);
const CURL = '/usr/bin/curl';
const PHOTO = join(EVAL_DIR, 'images/davis17c_bike-trial.jpg'); // 854 × 480

/** Splits a shell command line of the spec's simple form (double quotes, backslash-newlines). */
function argv(command: string): string[] {
  const flat = command.replace(/\\\n\s*/g, ' ');
  return [...flat.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

const SPEC_EXAMPLES = [
  `curl -X POST "https://api.maskr.io/v1/services/image-segmentation?points=[[100,200],[300,400]]&labels=[1,1]" \\
  -H "Authorization: Bearer sk-live-your-api-key" \\
  -F "file=@photo.jpg"`,
  `curl -X POST "https://api.maskr.io/v1/services/image-segmentation?box=[10,20,300,400]" \\
  -H "Authorization: Bearer sk-live-your-api-key" \\
  -F "file=@photo.jpg"`,
  `curl -X POST "https://api.maskr.io/v1/services/image-segmentation/batch?points=[[100,200]]&labels=[1]" \\
  -H "Authorization: Bearer sk-live-your-api-key" \\
  -F "files=@image1.jpg" \\
  -F "files=@image2.jpg"`,
];

describe('the spec curl examples against a listening server', {
  skip: !existsSync(CURL) || !existsSync(PHOTO),
}, () => {
  let t: TestApp;
  let origin: string;
  let key: string;
  let cwd: string;
  before(async () => {
    t = await createTestApp();
    origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
    key = t.createCustomer({ credits: 10 }).key;
    cwd = t.dataDir;
    for (const name of ['photo.jpg', 'image1.jpg', 'image2.jpg']) await copy(PHOTO, join(cwd, name));
  });
  after(() => t.close());

  async function curl(example: string): Promise<{ status: number; body: string }> {
    const args = argv(example)
      .slice(1)
      .map((a) => a.replace('https://api.maskr.io', origin).replace('sk-live-your-api-key', key));
    const { stdout } = await run(CURL, ['-g', '-s', '-w', '\n%{http_code}', ...args], { cwd });
    const cut = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
  }

  test('point prompts → 200 job object', async () => {
    const { status, body } = await curl(SPEC_EXAMPLES[0]);
    assert.equal(status, 200, body);
    const job = JSON.parse(body);
    assert.equal(job.status, 'completed');
    assert.equal(job.result.input_filename, 'photo.jpg');
    assert.deepEqual([job.result.original_width, job.result.original_height], [854, 480]);
    assert.equal(job.result.credits_used, 1);
    // …and the mask downloads with curl too.
    const url = new URL(job.result.output_url);
    const { stdout } = await run(
      CURL,
      ['-s', '-o', 'mask.png', '-w', '%{http_code} %{content_type}', origin + url.pathname + url.search],
      { cwd },
    );
    assert.equal(stdout, '200 image/png');
  });

  test('bounding box → 200 job object', async () => {
    const { status, body } = await curl(SPEC_EXAMPLES[1]);
    assert.equal(status, 200, body);
    assert.equal(JSON.parse(body).status, 'completed');
  });

  test('batch → 200 batch object with both files', async () => {
    const { status, body } = await curl(SPEC_EXAMPLES[2]);
    assert.equal(status, 200, body);
    const batch = JSON.parse(body);
    assert.deepEqual(
      [batch.total_files, batch.completed, batch.failed, batch.total_credits_used],
      [2, 2, 0, 2],
    );
    assert.deepEqual(
      batch.results.map((r: { input_filename: string }) => r.input_filename),
      ['image1.jpg', 'image2.jpg'],
    );
  });

  test('an oversized upload over a real socket gets 413, not a reset or a 500', async () => {
    const small = await createTestApp({ env: { MASKD_MAX_UPLOAD_BYTES: '10000' } });
    try {
      const smallOrigin = await small.app.listen({ port: 0, host: '127.0.0.1' });
      const { key: k } = small.createCustomer();
      const { stdout } = await run(CURL, [
        '-g',
        '-s',
        '-w',
        '\n%{http_code}',
        '-X',
        'POST',
        `${smallOrigin}/v1/services/image-segmentation?box=[1,1,5,5]`,
        '-H',
        `Authorization: Bearer ${k}`,
        '-F',
        `file=@${PHOTO}`,
      ]);
      const cut = stdout.lastIndexOf('\n');
      assert.equal(stdout.slice(cut + 1), '413');
      assert.match(stdout.slice(0, cut), /maximum size/);
    } finally {
      await small.close();
    }
  });
});
