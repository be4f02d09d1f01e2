/**
 * The playground's "Result" card: credits used, processing time, round trip and how much of the
 * image the mask covers, plus a running balance (the page's balance minus this session's use).
 */

export interface ResultFacts {
  creditsUsed: number | null;
  /** The API's processing_time_ms. */
  processingMs: number | null;
  /** As the browser saw it, mask download and decode included. */
  elapsedMs: number;
  selectedPixels: number;
  totalPixels: number;
}

export interface ResultPanel {
  show(facts: ResultFacts): void;
  /** No mask on screen (prompts cleared, new image). The session totals stay. */
  clear(): void;
}

export function bindResultPanel(root: HTMLElement): ResultPanel {
  const field = (name: string) => {
    const el = root.querySelector<HTMLElement>(`[data-pg=${name}]`);
    if (!el) throw new Error(`playground markup is missing [data-pg=${name}]`);
    return el;
  };
  const credits = field('credits');
  const processing = field('processing');
  const elapsed = field('elapsed');
  const coverage = field('coverage');
  const summary = field('stats');
  const startBalance = Number(root.dataset.balance ?? Number.NaN);
  let spent = 0;
  let requests = 0;
  const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v).toLocaleString('en')} ms`);

  return {
    show(f) {
      requests++;
      spent += f.creditsUsed ?? 0;
      credits.textContent = f.creditsUsed === null ? '–' : String(f.creditsUsed);
      processing.textContent = ms(f.processingMs);
      elapsed.textContent = ms(f.elapsedMs);
      const share = f.totalPixels > 0 ? (100 * f.selectedPixels) / f.totalPixels : 0;
      coverage.textContent = `${f.selectedPixels.toLocaleString('en')} px (${share.toFixed(1)}%)`;
      const balance = Number.isFinite(startBalance)
        ? ` Balance: ${(startBalance - spent).toLocaleString('en')} credits.`
        : '';
      summary.textContent = `This session: ${requests} request${requests === 1 ? '' : 's'}, ${spent} credit${spent === 1 ? '' : 's'}.${balance}`;
    },
    clear() {
      for (const el of [credits, processing, elapsed, coverage]) el.textContent = '–';
    },
  };
}
