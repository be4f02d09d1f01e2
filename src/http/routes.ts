/**
 * Every route of the API, in one visible list. Each module keeps its schema beside its handler.
 * (`/docs` is served by @fastify/swagger-ui, registered in `openapi.ts`.)
 */
import type { RouteModule } from './app-type.js';
import { getAccountRoute } from './routes/get-account.js';
import { getBatchRoute } from './routes/get-batch.js';
import { getFileRoute } from './routes/get-file.js';
import { getJobRoute } from './routes/get-job.js';
import { healthRoute } from './routes/health.js';
import { metricsRoute } from './routes/metrics.js';
import { openapiRoute } from './routes/openapi.js';
import { segmentRoute } from './routes/segment.js';
import { segmentBatchRoute } from './routes/segment-batch.js';

export const ROUTES: readonly RouteModule[] = [
  segmentRoute, //       POST /v1/services/image-segmentation
  segmentBatchRoute, //  POST /v1/services/image-segmentation/batch
  getJobRoute, //        GET  /v1/jobs/:job_id
  getBatchRoute, //      GET  /v1/batches/:batch_id
  getFileRoute, //       GET  /v1/files/:job_id?expires&sig
  getAccountRoute, //    GET  /v1/account
  healthRoute, //        GET  /healthz, /readyz
  metricsRoute, //       GET  /metrics
  openapiRoute, //       GET  /openapi.json
];
