/**
 * Draws the playground stage: photo, mask overlay, box, points and the keyboard crosshair.
 * The canvas has the image's own pixel size (CSS scales it), so prompts are drawn in image
 * pixels and marker sizes are multiplied by `scale` (image pixels per CSS pixel) to look the
 * same on any screen.
 */
import type { Box, PromptPoint } from './prompt-state.js';

export interface StageScene {
  image: CanvasImageSource;
  overlay: CanvasImageSource | null;
  points: readonly PromptPoint[];
  box: Box | null;
  /** A box being dragged or a first keyboard corner, drawn dashed. */
  draftBox: Box | null;
  cursor: { x: number; y: number } | null;
  scale: number;
}

const FOREGROUND = '#22c55e';
const BACKGROUND = '#ef4444';
const BOX = '#facc15';

export function renderStage(ctx: CanvasRenderingContext2D, scene: StageScene): void {
  const { width, height } = ctx.canvas;
  const s = scene.scale;
  ctx.clearRect(0, 0, width, height);
  ctx.drawImage(scene.image, 0, 0, width, height);
  if (scene.overlay) {
    ctx.save();
    ctx.globalAlpha = 0.5;
    ctx.drawImage(scene.overlay, 0, 0, width, height);
    ctx.restore();
  }
  if (scene.box) strokeBox(ctx, scene.box, s, []);
  if (scene.draftBox) strokeBox(ctx, scene.draftBox, s, [6 * s, 4 * s]);
  for (const p of scene.points) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, 7 * s, 0, Math.PI * 2);
    ctx.fillStyle = p.label === 1 ? FOREGROUND : BACKGROUND;
    ctx.fill();
    ctx.lineWidth = 2 * s;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
  }
  if (scene.cursor) {
    const { x, y } = scene.cursor;
    ctx.save();
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1.5 * s;
    ctx.shadowColor = '#000000';
    ctx.shadowBlur = 2 * s;
    ctx.beginPath();
    ctx.moveTo(x - 14 * s, y);
    ctx.lineTo(x - 4 * s, y);
    ctx.moveTo(x + 4 * s, y);
    ctx.lineTo(x + 14 * s, y);
    ctx.moveTo(x, y - 14 * s);
    ctx.lineTo(x, y - 4 * s);
    ctx.moveTo(x, y + 4 * s);
    ctx.lineTo(x, y + 14 * s);
    ctx.stroke();
    ctx.restore();
  }
}

function strokeBox(ctx: CanvasRenderingContext2D, box: Box, s: number, dash: number[]): void {
  ctx.save();
  ctx.setLineDash(dash);
  ctx.lineWidth = 2.5 * s;
  ctx.strokeStyle = BOX;
  ctx.strokeRect(box[0], box[1], box[2] - box[0], box[3] - box[1]);
  ctx.restore();
}
