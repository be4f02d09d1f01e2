/**
 * Calls the public API for the playground: the same `POST /v1/services/image-segmentation` a
 * script would call, authenticated by the session cookie plus the CSRF header. A new request
 * aborts the one in flight, so a burst of edits only pays for the last.
 */
import type { Prompts } from './prompt-state.js';
import { toQuery } from './prompt-state.js';

export interface SegmentOutcome {
  ok: true;
  jobId: string;
  mask: Blob;
  processingMs: number | null;
  creditsUsed: number | null;
  /** Round trip as the browser saw it, including the mask download. */
  elapsedMs: number;
}

export interface SegmentFailure {
  ok: false;
  status: number;
  message: string;
}

export interface SegmentClient {
  /** Resolves to null when superseded by a later call. */
  segment(image: File, prompts: Prompts): Promise<SegmentOutcome | SegmentFailure | null>;
  cancel(): void;
}

export function createSegmentClient(opts: { endpoint: string; csrfToken: string }): SegmentClient {
  let inflight: AbortController | null = null;

  async function segment(image: File, prompts: Prompts): Promise<SegmentOutcome | SegmentFailure | null> {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    const started = performance.now();
    const body = new FormData();
    body.append('file', image, image.name);
    const url = `${opts.endpoint}?${new URLSearchParams(toQuery(prompts))}`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'X-CSRF-Token': opts.csrfToken, Accept: 'application/json' },
        credentials: 'same-origin',
        signal: ctrl.signal,
      });
      const json = (await res.json().catch(() => null)) as ApiBody | null;
      if (!res.ok || !json?.result?.output_url) {
        return { ok: false, status: res.status, message: errorMessage(res.status, json) };
      }
      // The signed URL is absolute (the server's public URL); fetching its path keeps the
      // request same-origin whatever host name the browser used.
      const signed = new URL(json.result.output_url, location.href);
      const maskRes = await fetch(signed.pathname + signed.search, { signal: ctrl.signal });
      if (!maskRes.ok) return { ok: false, status: maskRes.status, message: 'could not download the mask' };
      return {
        ok: true,
        jobId: json.job_id,
        mask: await maskRes.blob(),
        processingMs: json.result.processing_time_ms ?? null,
        creditsUsed: json.result.credits_used ?? null,
        elapsedMs: performance.now() - started,
      };
    } catch (err) {
      if (ctrl.signal.aborted) return null;
      return { ok: false, status: 0, message: `network error: ${(err as Error).message}` };
    } finally {
      if (inflight === ctrl) inflight = null;
    }
  }

  return { segment, cancel: () => inflight?.abort() };
}

interface ApiBody {
  job_id: string;
  result?: { output_url?: string | null; processing_time_ms?: number | null; credits_used?: number | null };
  detail?: unknown;
  error?: unknown;
}

function errorMessage(status: number, body: ApiBody | null): string {
  if (status === 402) return 'Insufficient credits: top up your balance in account settings.';
  if (status === 401) return 'Your session has expired: sign in again.';
  if (status === 429) return 'Rate limited: wait a moment and try again.';
  const detail = body?.detail ?? body?.error;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail) && detail[0] && typeof detail[0].msg === 'string') return detail[0].msg;
  return `request failed (HTTP ${status})`;
}
