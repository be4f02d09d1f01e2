/**
 * The stub engine's deterministic "segmentation". Pure.
 * A pixel belongs to a shape when its centre (x + 0.5, y + 0.5) does.
 */
import type { Prompts } from './types.js';

/** Disk radius around each foreground point, as a fraction of min(width, height). */
const STUB_DISK_FRACTION = 0.1;

/**
 * The filled box when a box is given; otherwise a disk around each foreground (label 1) point.
 * @returns [height, width] uint8, 255 inside, 0 outside.
 */
export function renderStubMask(prompts: Prompts, width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  if (prompts.box !== null) {
    const [x1, y1, x2, y2] = prompts.box;
    // Centre inside [x1, x2): columns ceil(x1 − 0.5) … ceil(x2 − 0.5) − 1, likewise rows.
    const c0 = clamp(Math.ceil(x1 - 0.5), width);
    const c1 = clamp(Math.ceil(x2 - 0.5), width);
    const r0 = clamp(Math.ceil(y1 - 0.5), height);
    const r1 = clamp(Math.ceil(y2 - 0.5), height);
    for (let y = r0; y < r1; y++) mask.fill(255, y * width + c0, y * width + c1);
    return mask;
  }
  const r = STUB_DISK_FRACTION * Math.min(width, height);
  prompts.points.forEach(([px, py], i) => {
    if (prompts.labels[i] !== 1) return;
    const rowFrom = clamp(Math.floor(py - r), height);
    const rowTo = clamp(Math.ceil(py + r) + 1, height);
    for (let y = rowFrom; y < rowTo; y++) {
      const dy = y + 0.5 - py;
      const half = r * r - dy * dy;
      if (half < 0) continue;
      const dx = Math.sqrt(half);
      // Columns whose centre lies within [px − dx, px + dx].
      mask.fill(
        255,
        y * width + clamp(Math.ceil(px - dx - 0.5), width),
        y * width + clamp(Math.floor(px + dx - 0.5) + 1, width),
      );
    }
  });
  return mask;
}

const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
