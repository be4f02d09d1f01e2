import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DownloadableModel } from '../../src/models/model-registry.js';
import { createRegistry } from '../../src/models/model-registry.js';
import { pullModel } from '../../src/models/pull-model.js';
import { resolveModel } from '../../src/models/resolve-model.js';
import { type RangeFileServer, startRangeFileServer } from '../helpers/range-file-server.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('pullModel', () => {
  const enc = randomBytes(200_000);
  const dec = randomBytes(50_000);
  let server: RangeFileServer;
  let modelsDir: string;
  // The registry is plain data, so a test points it at a local server.
  let model: DownloadableModel;

  before(async () => {
    server = await startRangeFileServer({ '/enc': { body: enc }, '/dec': { body: dec, cutAfter: 10_000 } });
    modelsDir = await mkdtemp(join(tmpdir(), 'maskd-pull-'));
    model = {
      kind: 'download',
      name: 'local_sam2',
      family: 'sam2',
      licence: 'Apache-2.0',
      source: 'test server',
      files: {
        encoder: { url: `${server.url}/enc`, bytes: enc.length, sha256: sha256(enc) },
        decoder: { url: `${server.url}/dec`, bytes: null, sha256: sha256(dec) },
      },
    };
  });
  after(async () => {
    await server.close();
    await rm(modelsDir, { recursive: true, force: true });
  });

  it('installs both files and a manifest, resuming where an interrupted pull stopped', async () => {
    const progress: string[] = [];
    await assert.rejects(pullModel({ model, modelsDir }), { code: 'download_failed' });
    // The encoder was verified and kept; the decoder left a .part.
    assert.deepEqual((await readdir(join(modelsDir, 'local_sam2'))).sort(), [
      'decoder.onnx.part',
      'encoder.onnx',
    ]);

    const res = await pullModel({ model, modelsDir, onProgress: (part) => progress.push(part) });
    assert.deepEqual(res, { dir: join(modelsDir, 'local_sam2'), alreadyInstalled: false });
    assert.deepEqual([...new Set(progress)], ['decoder']);
    assert.ok((await readFile(join(res.dir, 'decoder.onnx'))).equals(dec));
    const manifest = JSON.parse(await readFile(join(res.dir, 'model.json'), 'utf8'));
    assert.equal(manifest.family, 'sam2');
    assert.equal(manifest.sha256.encoder, sha256(enc));

    const resolved = await resolveModel('local_sam2', modelsDir, createRegistry([model]));
    assert.equal(resolved.family, 'sam2');
    assert.equal(resolved.encoderPath, join(res.dir, 'encoder.onnx'));
  });

  it('does nothing for an installed model unless forced', async () => {
    const before = server.requests.length;
    assert.equal((await pullModel({ model, modelsDir })).alreadyInstalled, true);
    assert.equal(server.requests.length, before);
    assert.equal((await pullModel({ model, modelsDir, force: true })).alreadyInstalled, false);
    assert.equal(server.requests.length, before + 2);
  });

  it('refuses a model whose checksum is unknown', async () => {
    const unverified: DownloadableModel = {
      ...model,
      name: 'unverified',
      files: { ...model.files, decoder: { ...model.files.decoder, sha256: null } },
    };
    await assert.rejects(pullModel({ model: unverified, modelsDir }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'model_unavailable');
      assert.match(err.message, /checksum unknown/);
      return true;
    });
    assert.deepEqual(
      (await readdir(modelsDir)).filter((d) => d === 'unverified'),
      [],
    );
  });
});
