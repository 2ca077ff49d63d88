// The jobs service of Redis mode, for the jobs plugin: the BullMQ producer behind the JobQueue
// interface, plus in-process queue workers unless WORKER_IN_PROCESS=false.
import type { FastifyInstance } from 'fastify';

import type { Config } from '../../config.js';
import { RedisBlobStore } from '../blob-store.js';
import { shutdownBudget } from '../shutdown.js';
import { RedisJobQueue } from './queue.js';
import { redisModelSet } from './remote-pool.js';
import { startWorkers } from './runtime.js';

export async function redisJobs(app: FastifyInstance, config: Config): Promise<RedisJobQueue> {
  const queue = new RedisJobQueue({
    redis: app.redis,
    keys: app.redisKeys,
    cache: app.resultCache,
    blobs: new RedisBlobStore(app.redis, app.redisKeys),
    queueMax: config.queueMax,
    resultTtlSeconds: config.resultTtl,
    attempts: config.jobAttempts,
    backoffMs: config.jobBackoffMs,
    cacheParts: { modelSet: redisModelSet(config), lang: config.lang },
    metrics: app.metrics ?? undefined,
  });
  await queue.waitUntilReady();
  const workers = config.workerInProcess
    ? startWorkers(config, app.ocrPool, app.log, app.metrics ?? undefined)
    : undefined;
  app.log.info(
    { prefix: config.redisPrefix, in_process_workers: workers ? config.workers : 0 },
    'job queue on Redis (BullMQ)',
  );
  let drained: Promise<void> | undefined;
  const drain = async () => {
    await queue.close();
    await workers?.close(shutdownBudget(config.shutdownGrace).jobsMs);
  };
  app.decorate('drainJobs', () => (drained ??= drain()));
  // Hooks close in reverse order of registration: this runs before the pool and Redis close.
  app.addHook('onClose', async () => {
    await app.drainJobs();
  });
  return queue;
}
