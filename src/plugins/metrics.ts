// GET /metrics (Prometheus text format) and the HTTP request metrics, when METRICS_ENABLED.
// Requests are labelled by route template (`/ocr/job/:job_id`), never by raw URL; unknown routes
// share one label. Not rate limited; behind API keys only when API_KEYS_OPEN leaves metrics out.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { Config } from '../config.js';
import { OcrMetrics } from '../metrics/ocr-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** null when METRICS_ENABLED=false. */
    metrics: OcrMetrics | null;
  }
}

export default fp(
  async function metricsPlugin(app: FastifyInstance, opts: { config: Config }) {
    if (!opts.config.metricsEnabled) {
      app.decorate('metrics', null);
      return;
    }
    // The sources are read at scrape time: the jobs and pool services are registered after this.
    const metrics = new OcrMetrics({ queue: () => app.jobs.stats(), pool: () => app.ocrPool.stats() });
    app.decorate('metrics', metrics);
    app.addHook('onResponse', async (request, reply) => {
      metrics.http(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const body = await metrics.text();
      return reply.type(metrics.contentType).header('cache-control', 'no-store').send(body);
    });
  },
  { name: 'metrics', fastify: '5.x' },
);
