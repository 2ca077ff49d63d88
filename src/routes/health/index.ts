// GET /health, /health/ready, /health/alive (never rate limited).
import { readFileSync } from 'node:fs';

import type { FastifyInstance } from 'fastify';

import type { Config } from '../../config.js';

import { aliveRoute, healthRoute, readyRoute } from '../../schemas/health.js';
import { memoryUsage } from './memory.js';
import { type ProbeAnswer, liveness, notReady, ready } from './probes.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const SERVICE = 'ocr-service';
const MEMORY_WARN_PERCENT = 90;

export default async function healthRoutes(app: FastifyInstance, opts: { config: Pick<Config, 'stallTimeout'> }) {
  app.get('/health', { schema: healthRoute }, async () => {
    const info = app.ocrPool.info;
    const queue = await app.jobs.stats();
    const pool = app.ocrPool.stats();
    const memory = memoryUsage();
    const checks = {
      ocr_service_initialized: info !== undefined,
      // An API replica without in-process workers (Redis mode) has its engines in the worker processes.
      engine_available: info !== undefined && (pool.workers > 0 || info.executionProvider.startsWith('remote')),
      memory_usage: memory.percent < MEMORY_WARN_PERCENT,
      configuration_loaded: true,
    };
    const recommendations: string[] = [];
    if (!checks.engine_available) recommendations.push('The OCR engine is not loaded: check the logs for model errors');
    if (!checks.memory_usage)
      recommendations.push(`Memory use is ${memory.percent}% of the limit: lower OCR_WORKERS or QUEUE_MAX`);
    if (queue.unavailable) recommendations.push(`${queue.unavailable}: submissions answer 503 until it is back`);
    else if (!queue.accepting) recommendations.push('The job queue is full: add workers or raise QUEUE_MAX');
    const status = !checks.engine_available ? 'unhealthy' : recommendations.length ? 'degraded' : 'healthy';
    return {
      status,
      service: SERVICE,
      timestamp: new Date().toISOString(),
      version: VERSION,
      ocr_service: {
        service: 'paddleocr-onnx',
        initialized: checks.ocr_service_initialized,
        engine_available: checks.engine_available,
        execution_provider: info?.executionProvider ?? 'unknown',
        gpu_device: info?.gpuDevice ?? null,
        model_set: info?.modelSet ?? 'unknown',
        status: checks.engine_available ? 'ready' : 'unavailable',
        memory_usage: memory,
      },
      queue: {
        queued: queue.queued,
        processing: queue.processing,
        capacity: queue.capacity,
        accepting: queue.accepting,
        pool_queued: pool.queued,
      },
      workers: {
        threads: pool.workers,
        threads_per_worker: pool.threadsPerWorker,
        spinning: pool.spinning ?? false,
        utilization: pool.utilization,
      },
      checks,
      details: { service_status: status === 'healthy' ? 'operational' : status, recommendations },
    };
  });

  async function readiness(): Promise<ProbeAnswer> {
    if (app.draining) return notReady('shutting down: finishing running jobs, taking no new ones');
    const queue = await app.jobs.stats();
    if (!app.ocrPool.info) return notReady('models are not loaded');
    if (queue.unavailable) return notReady(queue.unavailable);
    if (!queue.accepting) return notReady('the job queue is full or closing');
    return ready();
  }

  app.get('/health/ready', { schema: readyRoute }, async (_request, reply) => {
    const answer = await readiness();
    return reply.code(answer.code).send(answer.body);
  });

  // In-process OCR threads (the embedded default) count: a wedged pool is not alive.
  app.get('/health/alive', { schema: aliveRoute }, async (_request, reply) => {
    const answer = liveness(app.ocrPool, opts.config.stallTimeout);
    return reply.code(answer.code).send(answer.body);
  });
}
