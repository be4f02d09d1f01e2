import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPromptsInImage, MAX_POINTS, parsePrompts } from '../../src/engine/prompts.js';
import type { RawPrompts } from '../../src/engine/types.js';
import { isAppError } from '../../src/errors/app-error.js';

function invalid(raw: RawPrompts, field: string, msg: RegExp) {
  assert.throws(
    () => parsePrompts(raw),
    (err) => {
      assert.ok(isAppError(err));
      assert.equal(err.code, 'invalid_prompt');
      assert.deepEqual(err.details, { field, location: 'query' });
      assert.match(err.message, msg);
      return true;
    },
  );
}

describe('parsePrompts', () => {
  it('parses points with default foreground labels', () => {
    assert.deepEqual(parsePrompts({ points: '[[427,240],[1.5,0]]' }), {
      points: [
        [427, 240],
        [1.5, 0],
      ],
      labels: [1, 1],
      box: null,
    });
  });

  it('parses explicit labels and a box', () => {
    assert.deepEqual(parsePrompts({ points: '[[1,2],[3,4]]', labels: '[1,0]', box: '[0, 0, 10.5, 20]' }), {
      points: [
        [1, 2],
        [3, 4],
      ],
      labels: [1, 0],
      box: [0, 0, 10.5, 20],
    });
  });

  it('accepts a box alone', () => {
    assert.deepEqual(parsePrompts({ box: '[1,2,3,4]' }), { points: [], labels: [], box: [1, 2, 3, 4] });
  });

  it('needs at least one of points or box', () => {
    for (const raw of [{}, { points: '[]' }, { points: '[]', labels: '[]' }]) {
      assert.throws(
        () => parsePrompts(raw),
        (err) =>
          isAppError(err) &&
          err.code === 'no_prompt' &&
          err.message === 'At least one of points or box is required',
      );
    }
  });

  it('names the field and the problem for malformed input', () => {
    invalid({ points: '[[1,2]' }, 'points', /^invalid JSON array$/);
    invalid({ points: '' }, 'points', /^invalid JSON array$/);
    invalid({ points: '{"x":1}' }, 'points', /^must be a JSON array$/);
    invalid({ points: '[1,2]' }, 'points', /^each point must be \[x, y\]$/);
    invalid({ points: '[[1,2,3]]' }, 'points', /^each point must be \[x, y\]$/);
    invalid({ points: '[["1",2]]' }, 'points', /finite numbers/);
    invalid({ points: '[[1e999,2]]' }, 'points', /finite numbers/);
    invalid({ points: '[[null,2]]' }, 'points', /finite numbers/);
    invalid({ points: '[[-1,2]]' }, 'points', /must not be negative/);
    invalid({ box: '[1,2,3]' }, 'box', /^box must be \[x1, y1, x2, y2\]$/);
    invalid({ box: '"1,2,3,4"' }, 'box', /must be a JSON array/);
    invalid({ box: '[5,2,5,4]' }, 'box', /x2 > x1/);
    invalid({ box: '[1,4,5,4]' }, 'box', /y2 > y1/);
    invalid({ box: '[1,2,-3,4]' }, 'box', /must not be negative/);
    invalid({ box: '[1,2,true,4]' }, 'box', /finite numbers/);
  });

  it('checks labels against points', () => {
    invalid({ points: '[[1,2]]', labels: '[2]' }, 'labels', /0 \(background\) or 1 \(foreground\)/);
    invalid({ points: '[[1,2]]', labels: '[true]' }, 'labels', /0 \(background\) or 1/);
    invalid({ points: '[[1,2]]', labels: '[0.5]' }, 'labels', /0 \(background\) or 1/);
    invalid({ labels: '[1]', box: '[1,2,3,4]' }, 'labels', /^labels given without points$/);
    invalid(
      { points: '[[1,2],[3,4]]', labels: '[1]' },
      'labels',
      /^expected 2 labels \(one per point\), got 1$/,
    );
    invalid({ points: '[[1,2]]', labels: 'nope' }, 'labels', /^invalid JSON array$/);
  });

  it(`caps the number of points at ${MAX_POINTS}`, () => {
    const many = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => [i, i]));
    assert.equal(parsePrompts({ points: many(MAX_POINTS) }).points.length, MAX_POINTS);
    invalid({ points: many(MAX_POINTS + 1) }, 'points', /^at most 64 points are allowed$/);
  });
});

describe('checkPromptsInImage', () => {
  const prompts = (raw: RawPrompts) => parsePrompts(raw);

  it('accepts coordinates on the image, edges included', () => {
    checkPromptsInImage(prompts({ points: '[[0,0],[854,480]]', box: '[0,0,854,480]' }), 854, 480);
  });

  it('rejects a point or box corner outside the image', () => {
    const outside = (raw: RawPrompts, field: string, msg: RegExp) =>
      assert.throws(
        () => checkPromptsInImage(prompts(raw), 854, 480),
        (err) =>
          isAppError(err) &&
          err.code === 'invalid_prompt' &&
          err.details.field === field &&
          err.details.location === 'query' &&
          msg.test(err.message),
      );
    outside({ points: '[[10,10],[855,10]]' }, 'points', /^point 1 \(855, 10\) is outside the 854x480 image$/);
    outside({ points: '[[10,480.5]]' }, 'points', /point 0/);
    outside({ box: '[0,0,900,10]' }, 'box', /^box \[0, 0, 900, 10\] extends outside the 854x480 image$/);
    outside({ box: '[0,0,10,481]' }, 'box', /box/);
  });
});
