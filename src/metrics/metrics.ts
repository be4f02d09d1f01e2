/**
 * Prometheus metrics on a Registry of their own (never prom-client's global one), so two apps in
 * one process — tests, or the API beside the web UI — never share or double-register series.
 *
 * @example
 *   const metrics = createMetrics({ engine, queueDepth: () => worker.depth() });
 *   metrics.observeRequest('POST', '/v1/services/image-segmentation', 200, 0.84);
 *   await metrics.registry.metrics(); // text exposition
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Engine, SegmentResult } from '../engine/index.js';

export interface Metrics {
  readonly registry: Registry;
  /** `route` is the route pattern (`/v1/jobs/:job_id`), never the raw URL: ids would explode cardinality. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /**
   * A request Node's HTTP parser refused (bad framing, oversized headers, timeout): counted with
   * method `unknown` and route `unparsed`, without a latency (it has no known start).
   */
  countUnparsed(status: number): void;
  observeInference(result: SegmentResult): void;
}

export function createMetrics(opts: { engine: Engine; queueDepth: () => number }): Metrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'maskd_http_requests_total',
    help: 'HTTP requests by route pattern, method and status code (route "unparsed": refused by the HTTP parser)',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'maskd_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const inference = new Histogram({
    name: 'maskd_inference_duration_seconds',
    help: "The engine's own time per image (decode, encode on a cache miss, mask decode, postprocess)",
    labelNames: ['cache'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    registers: [registry],
  });
  // Read from the engine at scrape time rather than mirrored, so they cannot drift.
  const engineGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  engineGauge(
    'maskd_engine_queue_depth',
    'Inference requests waiting for a slot',
    () => opts.engine.stats().queueDepth,
  );
  engineGauge('maskd_engine_running', 'Inference requests running now', () => opts.engine.stats().running);
  // The engine keeps the running totals; a counter re-set to them at scrape time stays a counter.
  const engineCounter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  engineCounter(
    'maskd_embedding_cache_hits_total',
    'Embedding cache hits',
    () => opts.engine.stats().cacheHits,
  );
  engineCounter(
    'maskd_embedding_cache_misses_total',
    'Embedding cache misses',
    () => opts.engine.stats().cacheMisses,
  );
  engineGauge(
    'maskd_embedding_cache_bytes',
    'Bytes held by the embedding cache',
    () => opts.engine.stats().cacheBytes,
  );
  engineGauge('maskd_job_queue_depth', 'Async jobs queued or running in the worker', opts.queueDepth);

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    countUnparsed(status) {
      requests.inc({ method: 'unknown', route: 'unparsed', status: String(status) });
    },
    observeInference(result) {
      inference.observe({ cache: result.cacheHit ? 'hit' : 'miss' }, result.timings.totalMs / 1000);
    },
  };
}
