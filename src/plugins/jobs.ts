// The job queue service. Embedded mode: MemoryJobQueue; routes only see the JobQueue interface.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { Config } from '../config.js';
import { MemoryJobQueue } from '../jobs/memory-queue.js';
import { webhookSender } from '../jobs/redis/runtime.js';
import { shutdownBudget } from '../jobs/shutdown.js';
import { redisJobs } from '../jobs/redis/setup.js';
import type { JobQueue } from '../jobs/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobQueue;
    /**
     * First step of a shutdown (src/server.ts), run while the listener still answers: stops taking
     * jobs and lets the running ones finish within the jobs' part of SHUTDOWN_GRACE.
     */
    drainJobs(): Promise<void>;
  }
}

export default fp(
  async function jobsPlugin(app: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;
    if (app.hasDecorator('redisKeys')) {
      app.decorate('jobs', await redisJobs(app, config));
      return;
    }
    const webhooks = webhookSender(config, app.log);
    const queue = new MemoryJobQueue({
      pool: app.ocrPool,
      cache: app.resultCache,
      limits: { maxWidth: config.maxImageWidth, maxHeight: config.maxImageHeight, maxPixels: config.maxImagePixels },
      workers: config.workers,
      queueMax: config.queueMax,
      resultTtlSeconds: config.resultTtl,
      timeoutSeconds: config.jobTimeout,
      cacheParts: { modelSet: app.ocrPool.info?.modelSet ?? config.model, lang: config.lang },
      onError: (err, job) => app.log.error({ err, job_id: job.id }, 'job failed with an internal error'),
      onFinished: (job, url) => webhooks.send(url, job),
      metrics: app.metrics ?? undefined,
    });
    app.decorate('jobs', queue);
    const { jobsMs, restMs } = shutdownBudget(config.shutdownGrace);
    let drained: Promise<void> | undefined;
    app.decorate('drainJobs', () => (drained ??= queue.close(jobsMs)));
    // Hooks close in reverse order of registration: this runs before the pool closes.
    app.addHook('onClose', async () => {
      await app.drainJobs();
      await webhooks.close(restMs / 2);
    });
  },
  { name: 'jobs', fastify: '5.x', dependencies: ['redis', 'ocr-pool', 'result-cache'] },
);
