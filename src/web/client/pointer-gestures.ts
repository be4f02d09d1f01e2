/**
 * What a press, move and release on the stage mean, as pure functions over the prompts, so the
 * rules stay in one place and out of the event wiring:
 *
 * - press on empty image, release without moving → a point (foreground or background);
 * - press on empty image and drag → a box;
 * - press on a point and drag → the point moves; release without moving → the point goes.
 *
 * Positions are image pixels; `css` positions (client pixels) decide what counts as a drag.
 */
import {
  addPoint,
  type Box,
  type Label,
  movePoint,
  type Prompts,
  pointNear,
  removePoint,
  setBox,
} from './prompt-state.js';

/** A press that moves further than this (CSS px) is a drag, not a click. */
export const DRAG_THRESHOLD_PX = 6;

interface At {
  x: number;
  y: number;
  cssX: number;
  cssY: number;
}

export type Drag =
  | { kind: 'pending'; from: At; label: Label }
  | { kind: 'box'; ax: number; ay: number; bx: number; by: number }
  | { kind: 'point'; index: number; from: At; x: number; y: number; moved: boolean };

/** `radius`: how close (image pixels) a press must be to grab an existing point. */
export function press(p: Prompts, at: At, label: Label, radius: number): Drag {
  const hit = pointNear(p, at.x, at.y, radius);
  return hit >= 0
    ? { kind: 'point', index: hit, from: at, x: at.x, y: at.y, moved: false }
    : { kind: 'pending', from: at, label };
}

export function move(d: Drag, at: At): Drag {
  if (d.kind === 'box') return { ...d, bx: at.x, by: at.y };
  const far = Math.hypot(at.cssX - d.from.cssX, at.cssY - d.from.cssY) >= DRAG_THRESHOLD_PX;
  if (d.kind === 'pending') return far ? { kind: 'box', ax: d.from.x, ay: d.from.y, bx: at.x, by: at.y } : d;
  return d.moved || far ? { ...d, x: at.x, y: at.y, moved: true } : d;
}

/** The prompts after the gesture ends. */
export function release(p: Prompts, d: Drag): Prompts {
  switch (d.kind) {
    case 'pending':
      return addPoint(p, d.from.x, d.from.y, d.label);
    case 'box':
      return setBox(p, d.ax, d.ay, d.bx, d.by);
    case 'point':
      return d.moved ? movePoint(p, d.index, d.x, d.y) : removePoint(p, d.index);
  }
}

/** What to draw while the gesture is in progress. */
export function preview(p: Prompts, d: Drag | null): { prompts: Prompts; draftBox: Box | null } {
  if (d?.kind === 'point' && d.moved) return { prompts: movePoint(p, d.index, d.x, d.y), draftBox: null };
  if (d?.kind === 'box') return { prompts: p, draftBox: normalise(d.ax, d.ay, d.bx, d.by) };
  return { prompts: p, draftBox: null };
}

export function normalise(ax: number, ay: number, bx: number, by: number): Box {
  return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
}
