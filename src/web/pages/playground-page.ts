/**
 * `/playground`: the markup the client script (`src/web/client/playground.ts`) binds to via
 * `data-pg` attributes. The endpoint, CSRF token and public URL travel as data attributes.
 */
import { html } from '../html/html.js';
import { renderPage, type Viewer } from '../html/layout.js';

export interface PlaygroundPageModel {
  viewer: Viewer;
  balance: number;
  publicUrl: string;
  creditsPerImage: number;
}

export function playgroundPage(m: PlaygroundPageModel): string {
  const body = html`<div class="playground" data-playground data-endpoint="/v1/services/image-segmentation"
      data-csrf="${m.viewer.csrfToken}" data-public-url="${m.publicUrl}" data-busy="false">
    <section class="pg-main">
      <div class="pg-toolbar" role="toolbar" aria-label="Playground tools">
        <label class="button primary">Open image<input type="file" data-pg="file" accept="image/jpeg,image/png,image/webp" class="visually-hidden"></label>
        <fieldset class="pg-mode">
          <legend class="visually-hidden">Click adds</legend>
          <label><input type="radio" name="pg-mode" value="1" checked> Foreground</label>
          <label><input type="radio" name="pg-mode" value="0"> Background</label>
        </fieldset>
        <button type="button" data-pg="undo" disabled>Undo</button>
        <button type="button" data-pg="clear" disabled>Clear</button>
        <button type="button" data-pg="download-mask" disabled>Mask PNG</button>
        <button type="button" data-pg="download-cutout" disabled>Cut-out PNG</button>
      </div>
      <div class="pg-stage" data-pg="stage" tabindex="0" aria-label="Image. Arrow keys move the crosshair; Enter or F adds a foreground point, B a background point, X a box corner; Backspace undoes; Escape clears." aria-describedby="pg-keys">
        <canvas data-pg="canvas" width="0" height="0"></canvas>
        <p class="pg-empty">Drop an image here, or use <strong>Open image</strong>.</p>
        <div class="pg-busy" aria-hidden="true"><span class="spinner"></span><span data-pg="busy-text"></span></div>
      </div>
      <p class="pg-status" data-pg="status" role="status" aria-live="polite">Open a JPEG, PNG or WebP image to start.</p>
    </section>
    <aside class="pg-side">
      <section class="card">
        <h2>Result</h2>
        <p data-pg="stats" class="muted">No request yet. Each request costs ${m.creditsPerImage} credit${m.creditsPerImage === 1 ? '' : 's'}; balance ${m.balance.toLocaleString('en')}.</p>
      </section>
      <section class="card">
        <h2>Same request with curl</h2>
        <pre class="curl"><code id="pg-curl" data-pg="curl"></code></pre>
        <button type="button" data-copy="pg-curl">Copy</button>
        <p class="muted">Create a key under <a href="/account">API keys</a> and put it in place of <code>sk-live-your-api-key</code>.</p>
      </section>
      <section class="card" id="pg-keys">
        <h2>Controls</h2>
        <ul class="plain keys">
          <li><kbd>Click</kbd> foreground point · <kbd>Right-click</kbd> background point</li>
          <li><kbd>Drag</kbd> draw a box · drag a point to move it</li>
          <li><kbd>←↑→↓</kbd> move crosshair (<kbd>Shift</kbd> faster)</li>
          <li><kbd>Enter</kbd>/<kbd>F</kbd> foreground · <kbd>B</kbd> background · <kbd>X</kbd> box corner</li>
          <li><kbd>Backspace</kbd>/<kbd>Ctrl+Z</kbd> undo · <kbd>Esc</kbd> clear</li>
        </ul>
      </section>
    </aside>
  </div>`;
  return renderPage({
    title: 'Playground',
    section: 'playground',
    viewer: m.viewer,
    body,
    script: 'playground.js',
  });
}
