/**
 * Prompt parsing and validation. Pure.
 *
 * The API takes prompts as JSON strings in the query string (`points=[[10,20]]`, `labels=[1]`,
 * `box=[1,2,30,40]`). Errors name the field and say what is wrong in a few words, because the
 * HTTP layer shows them verbatim as `{"loc":["query","points"],"msg":…,"type":"value_error"}`.
 *
 * @example
 *   parsePrompts({ points: '[[427,240]]' });
 *   // { points: [[427, 240]], labels: [1], box: null }
 */
import { AppError } from '../errors/app-error.js';
import type { Box, Point, PointLabel, Prompts, RawPrompts } from './types.js';

/** More clicks than this is not interactive segmentation; the decoder cost grows with N. */
export const MAX_POINTS = 64;

type Field = 'points' | 'labels' | 'box';

const invalid = (field: Field, msg: string) =>
  new AppError('invalid_prompt', msg, { field, location: 'query' });

/** @throws AppError `invalid_prompt` (with `field`) or `no_prompt`. */
export function parsePrompts(raw: RawPrompts): Prompts {
  const points = raw.points === undefined ? [] : parsePoints(raw.points);
  const labels = raw.labels === undefined ? null : parseLabels(raw.labels);
  const box = raw.box === undefined ? null : parseBox(raw.box);

  if (labels !== null && labels.length > 0 && points.length === 0) {
    throw invalid('labels', 'labels given without points');
  }
  if (labels !== null && labels.length !== points.length) {
    throw invalid('labels', `expected ${points.length} labels (one per point), got ${labels.length}`);
  }
  if (points.length === 0 && box === null) {
    throw new AppError('no_prompt', 'At least one of points or box is required');
  }
  return { points, labels: labels ?? points.map(() => 1), box };
}

/**
 * Coordinates must lie on the image as displayed: x in [0, width], y in [0, height]
 * (the far edge is allowed, as a box drawn to the border ends there).
 * @throws AppError `invalid_prompt`.
 */
export function checkPromptsInImage(prompts: Prompts, width: number, height: number): void {
  const inside = (x: number, y: number) => x <= width && y <= height;
  prompts.points.forEach(([x, y], i) => {
    if (!inside(x, y)) {
      throw invalid('points', `point ${i} (${x}, ${y}) is outside the ${width}x${height} image`);
    }
  });
  const box = prompts.box;
  if (box !== null && !inside(box[2], box[3])) {
    throw invalid('box', `box [${box.join(', ')}] extends outside the ${width}x${height} image`);
  }
}

function parseJsonArray(field: Field, text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(field, 'invalid JSON array');
  }
  if (!Array.isArray(value)) throw invalid(field, 'must be a JSON array');
  return value;
}

/** A finite, non-negative pixel coordinate. */
function coordinate(field: Field, v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(field, `${what} must be finite numbers`);
  if (v < 0) throw invalid(field, `${what} must not be negative`);
  return v;
}

function parsePoints(text: string): Point[] {
  const items = parseJsonArray('points', text);
  if (items.length > MAX_POINTS) throw invalid('points', `at most ${MAX_POINTS} points are allowed`);
  return items.map((p) => {
    if (!Array.isArray(p) || p.length !== 2) throw invalid('points', 'each point must be [x, y]');
    return [coordinate('points', p[0], 'point coordinates'), coordinate('points', p[1], 'point coordinates')];
  });
}

function parseLabels(text: string): PointLabel[] {
  const items = parseJsonArray('labels', text);
  if (items.length > MAX_POINTS) throw invalid('labels', `at most ${MAX_POINTS} labels are allowed`);
  return items.map((l) => {
    if (l !== 0 && l !== 1) throw invalid('labels', 'each label must be 0 (background) or 1 (foreground)');
    return l;
  });
}

function parseBox(text: string): Box {
  const items = parseJsonArray('box', text);
  if (items.length !== 4) throw invalid('box', 'box must be [x1, y1, x2, y2]');
  const [x1, y1, x2, y2] = items.map((v) => coordinate('box', v, 'box coordinates'));
  if (x2 <= x1) throw invalid('box', 'box needs x2 > x1');
  if (y2 <= y1) throw invalid('box', 'box needs y2 > y1');
  return [x1, y1, x2, y2];
}
