/**
 * The playground's prompts as an immutable value with an undo history. Pure: no DOM, so the
 * same rules hold for mouse, touch and keyboard input. Coordinates are integer pixels of the
 * image as displayed (EXIF-oriented), which is what the API expects.
 */

export type Label = 0 | 1;
export interface PromptPoint {
  x: number;
  y: number;
  label: Label;
}
export type Box = [x1: number, y1: number, x2: number, y2: number];

export interface Prompts {
  points: readonly PromptPoint[];
  box: Box | null;
}

export interface PromptHistory {
  current: Prompts;
  /** Earlier states, most recent last. */
  past: readonly Prompts[];
}

export const EMPTY: Prompts = { points: [], box: null };
/** Matches the API's own cap on point prompts. */
export const MAX_POINTS = 64;
const MAX_HISTORY = 100;

export function initialHistory(): PromptHistory {
  return { current: EMPTY, past: [] };
}

/** Records `next` as a new state; a no-op change adds no undo step. */
export function commit(h: PromptHistory, next: Prompts): PromptHistory {
  if (samePrompts(h.current, next)) return h;
  return { current: next, past: [...h.past, h.current].slice(-MAX_HISTORY) };
}

export function undo(h: PromptHistory): PromptHistory {
  const prev = h.past[h.past.length - 1];
  return prev ? { current: prev, past: h.past.slice(0, -1) } : h;
}

export function addPoint(p: Prompts, x: number, y: number, label: Label): Prompts {
  if (p.points.length >= MAX_POINTS) return p;
  return { ...p, points: [...p.points, { x: Math.round(x), y: Math.round(y), label }] };
}

export function movePoint(p: Prompts, index: number, x: number, y: number): Prompts {
  const points = p.points.map((pt, i) => (i === index ? { ...pt, x: Math.round(x), y: Math.round(y) } : pt));
  return { ...p, points };
}

export function removePoint(p: Prompts, index: number): Prompts {
  return { ...p, points: p.points.filter((_, i) => i !== index) };
}

/** Corners in any order; stored as [left, top, right, bottom]. Degenerate boxes are dropped. */
export function setBox(p: Prompts, ax: number, ay: number, bx: number, by: number): Prompts {
  const box: Box = [
    Math.round(Math.min(ax, bx)),
    Math.round(Math.min(ay, by)),
    Math.round(Math.max(ax, bx)),
    Math.round(Math.max(ay, by)),
  ];
  if (box[2] - box[0] < 2 || box[3] - box[1] < 2) return p;
  return { ...p, box };
}

export function isEmpty(p: Prompts): boolean {
  return p.points.length === 0 && p.box === null;
}

/** Index of the point within `radius` (image pixels) of (x, y), nearest first; -1 if none. */
export function pointNear(p: Prompts, x: number, y: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  p.points.forEach((pt, i) => {
    const d = (pt.x - x) ** 2 + (pt.y - y) ** 2;
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}

/** Clamps a coordinate into the image: the API rejects prompts outside it. */
export function clamp(v: number, max: number): number {
  return Math.min(Math.max(0, Math.round(v)), Math.max(0, max - 1));
}

/** The API's query parameters for these prompts (JSON strings, as in the spec). */
export function toQuery(p: Prompts): Record<string, string> {
  const q: Record<string, string> = {};
  if (p.points.length > 0) {
    q.points = JSON.stringify(p.points.map((pt) => [pt.x, pt.y]));
    q.labels = JSON.stringify(p.points.map((pt) => pt.label));
  }
  if (p.box) q.box = JSON.stringify(p.box);
  return q;
}

function samePrompts(a: Prompts, b: Prompts): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
