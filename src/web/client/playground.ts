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
import { type Drag, move, normalise, press, preview, release } from './pointer-gestures.js';
import {
  addPoint,
  clamp,
  commit,
  EMPTY,
  initialHistory,
  isEmpty,
  type Label,
  type PromptHistory,
  pointNear,
  removePoint,
  setBox,
  toQuery,
  undo,
} from './prompt-state.js';
import { bindResultPanel } from './result-panel.js';
import { createSegmentClient } from './segment-client.js';
import { probePixel } from './stage-probe.js';
import { renderStage } from './stage-render.js';

declare global {
  interface Window {
    __maskd?: PlaygroundDebug;
  }
}

/** Edits within this window are sent as one request. */
const DEBOUNCE_MS = 60;
/** How close (CSS px) a press or the crosshair must be to a point to grab or remove it. */
const GRAB_RADIUS_PX = 10;

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
  const result = bindResultPanel(root);
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
    probe: (x, y) => (image ? probePixel(ctx, image.bitmap, mask?.decoded ?? null, x, y) : null),
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

  /** The image pixel under the pointer (floor, not round: a click anywhere in pixel x is x). */
  function toImage(e: { clientX: number; clientY: number }) {
    const r = canvas.getBoundingClientRect();
    const s = canvas.width / r.width;
    return {
      x: clamp(Math.floor((e.clientX - r.left) * s), canvas.width),
      y: clamp(Math.floor((e.clientY - r.top) * s), canvas.height),
      cssX: e.clientX,
      cssY: e.clientY,
    };
  }

  /** The prompts with an in-progress drag or keyboard box corner applied, for drawing only. */
  function shown() {
    const p = history.current;
    if (!drag && corner && cursor)
      return { prompts: p, draftBox: normalise(corner.x, corner.y, cursor.x, cursor.y) };
    return preview(p, drag);
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
    debug.lastMask = {
      width: decoded.width,
      height: decoded.height,
      selectedPixels: decoded.selectedCount,
      bounds: decoded.bounds,
      digest: decoded.digest,
    };
    setMask({ decoded, png: out.mask, overlay: overlayCanvas(decoded) });
    root.dataset.jobId = out.jobId;
    status.dataset.kind = 'ok';
    status.textContent = `Job ${out.jobId}`;
    result.show({
      creditsUsed: out.creditsUsed,
      processingMs: out.processingMs,
      elapsedMs: out.elapsedMs,
      selectedPixels: decoded.selectedCount,
      totalPixels: decoded.width * decoded.height,
    });
  }

  function setMask(next: typeof mask): void {
    mask = next;
    const m = next?.decoded;
    root.dataset.maskWidth = m ? String(m.width) : '';
    root.dataset.maskHeight = m ? String(m.height) : '';
    root.dataset.selectedPixels = m ? String(m.selectedCount) : '';
    if (!m) {
      root.dataset.jobId = '';
      debug.lastMask = null;
      result.clear();
    }
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
    stage.focus({ preventScroll: true });
  }

  function download(blob: Blob, suffix: string): void {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${(image?.file.name ?? 'image').replace(/\.[^.]+$/, '')}-${suffix}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  canvas.addEventListener('pointerdown', (e) => {
    if (!image || (e.button !== 0 && e.button !== 2)) return;
    e.preventDefault();
    stage.focus({ preventScroll: true });
    cursor = null;
    const at = toImage(e);
    // Right button: a background point. Handled here rather than on `contextmenu`, whose
    // coordinates are whole CSS pixels and can land one image pixel off on a scaled canvas.
    if (e.button === 2) return update(commit(history, addPoint(history.current, at.x, at.y, 0)));
    canvas.setPointerCapture(e.pointerId);
    drag = press(history.current, at, label(), GRAB_RADIUS_PX * scale());
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    drag = move(drag, toImage(e));
    draw();
  });
  const endDrag = (e: PointerEvent, cancelled: boolean) => {
    const d = drag;
    drag = null;
    if (!d || cancelled) return draw();
    update(commit(history, release(history.current, move(d, toImage(e)))));
  };
  canvas.addEventListener('pointerup', (e) => endDrag(e, false));
  canvas.addEventListener('pointercancel', (e) => endDrag(e, true));
  canvas.addEventListener('contextmenu', (e) => e.preventDefault());

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
      case 'remove': {
        // The point nearest the crosshair, else the newest point.
        const near = cursor ? pointNear(p, cursor.x, cursor.y, GRAB_RADIUS_PX * 3 * scale()) : -1;
        const index = near >= 0 ? near : p.points.length - 1;
        return index >= 0 ? update(commit(history, removePoint(p, index))) : undefined;
      }
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

const root = document.querySelector<HTMLElement>('[data-playground]');
if (root) start(root);
