/**
 * The interactive playground: open an image, click / right-click / drag / type prompts, and
 * every change is sent to the public API; the returned mask is drawn as an overlay.
 *
 * State lives in this one closure (image, prompt history, last mask); drawing, prompt rules,
 * key mapping, API calls and mask handling are the small modules imported below. Test hooks:
 * `window.__maskd` and `data-*` attributes on the root describe the last mask received.
 */
import { curlCommand } from './curl-command.js';
import { keyAction } from './keyboard-actions.js';
import { cutOut, type DecodedMask, decodeMask, overlayCanvas } from './mask-image.js';
import type { PlaygroundDebug } from './playground-debug.js';
import {
  addPoint,
  type Box,
  clamp,
  commit,
  EMPTY,
  initialHistory,
  isEmpty,
  type Label,
  movePoint,
  type PromptHistory,
  type Prompts,
  pointNear,
  setBox,
  toQuery,
  undo,
} from './prompt-state.js';
import { createSegmentClient } from './segment-client.js';
import { renderStage } from './stage-render.js';

declare global {
  interface Window {
    __maskd?: PlaygroundDebug;
  }
}

/** Edits within this window are sent as one request. */
const DEBOUNCE_MS = 60;
/** A press that moves further than this (CSS px) draws a box instead of adding a point. */
const DRAG_THRESHOLD_PX = 6;

type Drag =
  | { kind: 'pending'; x: number; y: number; cssX: number; cssY: number; label: Label }
  | { kind: 'box'; ax: number; ay: number; bx: number; by: number }
  | { kind: 'point'; index: number; x: number; y: number };

function must<T extends Element>(root: ParentNode, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`playground markup is missing ${selector}`);
  return el;
}

function start(root: HTMLElement): void {
  const canvas = must<HTMLCanvasElement>(root, '[data-pg=canvas]');
  const stage = must<HTMLElement>(root, '[data-pg=stage]');
  const fileInput = must<HTMLInputElement>(root, '[data-pg=file]');
  const status = must<HTMLElement>(root, '[data-pg=status]');
  const busyText = must<HTMLElement>(root, '[data-pg=busy-text]');
  const curl = must<HTMLElement>(root, '[data-pg=curl]');
  const stats = must<HTMLElement>(root, '[data-pg=stats]');
  const undoButton = must<HTMLButtonElement>(root, '[data-pg=undo]');
  const clearButton = must<HTMLButtonElement>(root, '[data-pg=clear]');
  const maskButton = must<HTMLButtonElement>(root, '[data-pg=download-mask]');
  const cutoutButton = must<HTMLButtonElement>(root, '[data-pg=download-cutout]');
  const modeInputs = root.querySelectorAll<HTMLInputElement>('input[name=pg-mode]');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable');

  const client = createSegmentClient({
    endpoint: root.dataset.endpoint ?? '/v1/services/image-segmentation',
    csrfToken: root.dataset.csrf ?? '',
  });
  const debug: PlaygroundDebug = {
    requests: 0,
    responses: 0,
    errors: 0,
    lastMask: null,
    lastProcessingMs: null,
    lastElapsedMs: null,
    creditsUsed: 0,
  };
  window.__maskd = debug;

  let image: { file: File; bitmap: ImageBitmap; encoded: boolean } | null = null;
  let history: PromptHistory = initialHistory();
  let mask: { decoded: DecodedMask; png: Blob; overlay: HTMLCanvasElement } | null = null;
  let drag: Drag | null = null;
  let cursor: { x: number; y: number } | null = null;
  let corner: { x: number; y: number } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  const label = (): Label =>
    root.querySelector<HTMLInputElement>('input[name=pg-mode]:checked')?.value === '0' ? 0 : 1;
  const scale = () => canvas.width / Math.max(1, canvas.getBoundingClientRect().width);

  function toImage(e: { clientX: number; clientY: number }): { x: number; y: number } {
    const r = canvas.getBoundingClientRect();
    const s = canvas.width / r.width;
    return {
      x: clamp((e.clientX - r.left) * s, canvas.width),
      y: clamp((e.clientY - r.top) * s, canvas.height),
    };
  }

  /** The prompts with an in-progress drag applied, for drawing only. */
  function shown(): { prompts: Prompts; draftBox: Box | null } {
    const p = history.current;
    if (drag?.kind === 'point') return { prompts: movePoint(p, drag.index, drag.x, drag.y), draftBox: null };
    if (drag?.kind === 'box') return { prompts: p, draftBox: normalise(drag.ax, drag.ay, drag.bx, drag.by) };
    if (corner && cursor) return { prompts: p, draftBox: normalise(corner.x, corner.y, cursor.x, cursor.y) };
    return { prompts: p, draftBox: null };
  }

  function draw(): void {
    if (!image) return;
    const { prompts, draftBox } = shown();
    renderStage(ctx as CanvasRenderingContext2D, {
      image: image.bitmap,
      overlay: mask?.overlay ?? null,
      points: prompts.points,
      box: prompts.box,
      draftBox,
      cursor,
      scale: scale(),
    });
  }

  function refreshControls(): void {
    const p = history.current;
    undoButton.disabled = history.past.length === 0;
    clearButton.disabled = isEmpty(p);
    maskButton.disabled = cutoutButton.disabled = mask === null;
    curl.textContent = curlCommand({
      baseUrl: root.dataset.publicUrl ?? location.origin,
      query: toQuery(p),
      filename: image?.file.name ?? 'photo.jpg',
    });
  }

  function update(next: PromptHistory): void {
    history = next;
    refreshControls();
    draw();
    schedule();
  }

  function setBusy(text: string | null): void {
    root.dataset.busy = text ? 'true' : 'false';
    busyText.textContent = text ?? '';
  }

  function schedule(): void {
    clearTimeout(timer);
    if (!image || isEmpty(history.current)) {
      seq++;
      client.cancel();
      setBusy(null);
      setMask(null);
      return;
    }
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  async function run(): Promise<void> {
    if (!image) return;
    const mine = ++seq;
    const current = image;
    // The first request for an image pays for the encoder; later ones hit the embedding cache.
    setBusy(current.encoded ? 'Segmenting…' : 'Encoding image… (first request for this image)');
    debug.requests++;
    root.dataset.requests = String(debug.requests);
    const out = await client.segment(current.file, history.current);
    if (out === null || mine !== seq) return;
    if (!out.ok) {
      setBusy(null);
      debug.errors++;
      status.textContent = out.message;
      status.dataset.kind = 'error';
      return;
    }
    current.encoded = true;
    const decoded = await decodeMask(out.mask);
    if (mine !== seq) return;
    setBusy(null);
    debug.responses++;
    debug.creditsUsed += out.creditsUsed ?? 0;
    debug.lastProcessingMs = out.processingMs;
    debug.lastElapsedMs = Math.round(out.elapsedMs);
    debug.lastMask = { width: decoded.width, height: decoded.height, selectedPixels: decoded.selectedCount };
    setMask({ decoded, png: out.mask, overlay: overlayCanvas(decoded) });
    root.dataset.jobId = out.jobId;
    status.dataset.kind = 'ok';
    status.textContent = `Job ${out.jobId}: ${decoded.selectedCount.toLocaleString()} pixels selected.`;
    stats.textContent = [
      `Credits used: ${out.creditsUsed ?? '–'} (this session: ${debug.creditsUsed})`,
      `Processing: ${out.processingMs === null ? '–' : `${Math.round(out.processingMs)} ms`}`,
      `Round trip: ${debug.lastElapsedMs} ms`,
    ].join(' · ');
  }

  function setMask(next: typeof mask): void {
    mask = next;
    const m = next?.decoded;
    root.dataset.maskWidth = m ? String(m.width) : '';
    root.dataset.maskHeight = m ? String(m.height) : '';
    root.dataset.selectedPixels = m ? String(m.selectedCount) : '';
    if (!m) root.dataset.jobId = '';
    if (!m) debug.lastMask = null;
    refreshControls();
    draw();
  }

  async function open(file: File): Promise<void> {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type)) {
      status.dataset.kind = 'error';
      status.textContent = 'Choose a JPEG, PNG or WebP image.';
      return;
    }
    // 'from-image' applies EXIF orientation, matching the coordinates the API uses.
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    image?.bitmap.close();
    image = { file, bitmap, encoded: false };
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    root.dataset.loaded = 'true';
    history = initialHistory();
    cursor = corner = null;
    status.dataset.kind = 'info';
    status.textContent = `${file.name}: ${bitmap.width}×${bitmap.height}. Click the object to segment it.`;
    setMask(null);
    stage.focus();
  }

  function download(blob: Blob, suffix: string): void {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${(image?.file.name ?? 'image').replace(/\.[^.]+$/, '')}-${suffix}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  canvas.addEventListener('pointerdown', (e) => {
    if (!image || e.button !== 0) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    stage.focus();
    const { x, y } = toImage(e);
    cursor = null;
    const hit = pointNear(history.current, x, y, 10 * scale());
    drag =
      hit >= 0
        ? { kind: 'point', index: hit, x, y }
        : { kind: 'pending', x, y, cssX: e.clientX, cssY: e.clientY, label: label() };
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const { x, y } = toImage(e);
    if (drag.kind === 'pending') {
      if (Math.hypot(e.clientX - drag.cssX, e.clientY - drag.cssY) < DRAG_THRESHOLD_PX) return;
      drag = { kind: 'box', ax: drag.x, ay: drag.y, bx: x, by: y };
    } else if (drag.kind === 'box') {
      drag = { ...drag, bx: x, by: y };
    } else {
      drag = { ...drag, x, y };
    }
    draw();
  });
  const endDrag = (e: PointerEvent, cancelled: boolean) => {
    const d = drag;
    drag = null;
    if (!d || cancelled) return draw();
    const p = history.current;
    if (d.kind === 'pending') update(commit(history, addPoint(p, d.x, d.y, d.label)));
    else if (d.kind === 'box') {
      const { x, y } = toImage(e);
      update(commit(history, setBox(p, d.ax, d.ay, x, y)));
    } else update(commit(history, movePoint(p, d.index, d.x, d.y)));
  };
  canvas.addEventListener('pointerup', (e) => endDrag(e, false));
  canvas.addEventListener('pointercancel', (e) => endDrag(e, true));
  canvas.addEventListener('contextmenu', (e) => {
    e.preventDefault();
    if (!image) return;
    const { x, y } = toImage(e);
    update(commit(history, addPoint(history.current, x, y, 0)));
  });

  stage.addEventListener('keydown', (e) => {
    if (!image) return;
    const action = keyAction(e);
    if (!action) return;
    e.preventDefault();
    const p = history.current;
    const here = cursor ?? { x: Math.floor(canvas.width / 2), y: Math.floor(canvas.height / 2) };
    switch (action.kind) {
      case 'move': {
        const step = Math.max(1, Math.round(Math.min(canvas.width, canvas.height) / 100));
        cursor = {
          x: clamp(here.x + action.dx * step, canvas.width),
          y: clamp(here.y + action.dy * step, canvas.height),
        };
        return draw();
      }
      case 'point':
        cursor = here;
        return update(commit(history, addPoint(p, here.x, here.y, action.label)));
      case 'box-corner':
        cursor = here;
        if (!corner) {
          corner = here;
          return draw();
        }
        update(commit(history, setBox(p, corner.x, corner.y, here.x, here.y)));
        corner = null;
        return draw();
      case 'undo':
        corner = null;
        return update(undo(history));
      case 'clear':
        corner = null;
        return update(commit(history, EMPTY));
    }
  });

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void open(file);
  });
  stage.addEventListener('dragover', (e) => {
    e.preventDefault();
    root.dataset.dragging = 'true';
  });
  stage.addEventListener('dragleave', () => {
    root.dataset.dragging = 'false';
  });
  stage.addEventListener('drop', (e) => {
    e.preventDefault();
    root.dataset.dragging = 'false';
    const file = e.dataTransfer?.files[0];
    if (file) void open(file);
  });
  undoButton.addEventListener('click', () => update(undo(history)));
  clearButton.addEventListener('click', () => update(commit(history, EMPTY)));
  maskButton.addEventListener('click', () => mask && download(mask.png, 'mask'));
  cutoutButton.addEventListener('click', async () => {
    if (mask && image) download(await cutOut(image.bitmap, mask.decoded), 'cutout');
  });
  for (const input of modeInputs) input.addEventListener('change', () => stage.focus());
  window.addEventListener('resize', draw);
  refreshControls();
  root.dataset.ready = 'true';
}

function normalise(ax: number, ay: number, bx: number, by: number): Box {
  return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
}

const root = document.querySelector<HTMLElement>('[data-playground]');
if (root) start(root);
