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
  const cost = `${m.creditsPerImage} credit${m.creditsPerImage === 1 ? '' : 's'}`;
  const body = html`<div class="playground" data-playground data-endpoint="/v1/services/image-segmentation"
      data-csrf="${m.viewer.csrfToken}" data-public-url="${m.publicUrl}" data-balance="${m.balance}" data-busy="false">
    <section class="pg-main">
      <div class="pg-toolbar" role="toolbar" aria-label="Playground tools">
        <label class="button primary">Open image<input type="file" data-pg="file" accept="image/jpeg,image/png,image/webp" class="visually-hidden"></label>
        <fieldset class="pg-mode">
          <legend class="visually-hidden">A click adds a</legend>
          <label class="pg-option"><input type="radio" name="pg-mode" value="1" checked><span class="dot fg"></span>Foreground</label>
          <label class="pg-option"><input type="radio" name="pg-mode" value="0"><span class="dot bg"></span>Background</label>
        </fieldset>
        <span class="pg-spacer"></span>
        <button type="button" data-pg="undo" disabled>Undo</button>
        <button type="button" data-pg="clear" disabled>Clear</button>
      </div>
      <div class="pg-stage" data-pg="stage" tabindex="0" aria-label="Image. Arrow keys move the crosshair; Enter or F adds a foreground point, B a background point, X a box corner; Delete removes the nearest point; Backspace undoes; Escape clears." aria-describedby="pg-keys">
        <canvas data-pg="canvas" width="0" height="0"></canvas>
        <div class="pg-empty">
          <p class="pg-empty-title">Drop an image here</p>
          <p class="muted">or use <strong>Open image</strong> · JPEG, PNG or WebP</p>
        </div>
        <div class="pg-busy" aria-hidden="true"><span class="spinner"></span><span data-pg="busy-text"></span></div>
      </div>
      <p class="pg-status" data-pg="status" role="status" aria-live="polite">Open a photo, then click the object you want to cut out.</p>
    </section>
    <aside class="pg-side">
      <section class="card pg-result">
        <h2>Result</h2>
        <dl class="pg-stats">
          <div><dt>Credits used</dt><dd data-pg="credits">–</dd></div>
          <div><dt>Processing</dt><dd data-pg="processing">–</dd></div>
          <div><dt>Round trip</dt><dd data-pg="elapsed">–</dd></div>
          <div><dt>Selected</dt><dd data-pg="coverage">–</dd></div>
        </dl>
        <p data-pg="stats" class="muted">Each request costs ${cost}. Balance: ${m.balance.toLocaleString('en')} credits.</p>
        <div class="pg-downloads">
          <button type="button" data-pg="download-mask" disabled>Mask PNG</button>
          <button type="button" data-pg="download-cutout" disabled>Cut-out PNG</button>
        </div>
      </section>
      <section class="card">
        <h2>Same request with curl</h2>
        <pre class="curl"><code id="pg-curl" data-pg="curl"></code></pre>
        <p class="pg-curl-foot"><button type="button" data-copy="pg-curl" class="small">Copy</button>
          <span class="muted">Set <code>MASKD_API_KEY</code> to one of your <a href="/account">API keys</a> first.</span></p>
      </section>
    </aside>
    <section class="card pg-help" id="pg-keys">
      <h2>Controls</h2>
      <ul class="plain keys">
        <li><kbd>Click</kbd> foreground point · <kbd>Right-click</kbd> background point</li>
        <li><kbd>Drag</kbd> draw a box · drag a point to move it · click a point to remove it</li>
        <li><kbd>←↑→↓</kbd> move the crosshair (<kbd>Shift</kbd> faster)</li>
        <li><kbd>Enter</kbd>/<kbd>F</kbd> foreground · <kbd>B</kbd> background · <kbd>X</kbd> box corner</li>
        <li><kbd>Delete</kbd> remove nearest point · <kbd>Backspace</kbd>/<kbd>Ctrl+Z</kbd> undo · <kbd>Esc</kbd> clear</li>
      </ul>
    </section>
  </div>`;
  return renderPage({
    title: 'Playground',
    section: 'playground',
    viewer: m.viewer,
    body,
    script: 'playground.js',
  });
}
