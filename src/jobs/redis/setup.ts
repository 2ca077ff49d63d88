// The jobs service of Redis mode (src/jobs/backend.ts): the BullMQ producer behind the JobQueue
// interface, plus in-process queue workers unless WORKER_IN_PROCESS=false.
import type { Redis } from 'ioredis';

import type { Config } from '../../config.js';
import type { JobMetrics } from '../../metrics/ocr-metrics.js';
import type { OcrPool } from '../../pool/ocr-pool.js';
import { RedisBlobStore } from '../blob-store.js';
import type { ResultCache } from '../result-cache.js';
import { shutdownBudget } from '../shutdown.js';
import type { Keys } from './connection.js';
import { RedisJobQueue } from './queue.js';
import { redisModelSet } from './remote-pool.js';
import { startWorkers } from './runtime.js';

export interface RedisJobsParts {
  /** The API's fail-fast client. */
  client: Redis;
  keys: Keys;
  pool: OcrPool;
  cache: ResultCache;
  /** Whether this process also takes jobs into `pool` (WORKER_IN_PROCESS). */
  workers: boolean;
}

export async function redisJobs(
  config: Config,
  parts: RedisJobsParts,
  deps: { log: Parameters<typeof startWorkers>[2]; metrics?: JobMetrics },
): Promise<{ queue: RedisJobQueue; drain(): Promise<void>; close(): Promise<void> }> {
  const { client, keys, pool, cache } = parts;
  const { log, metrics } = deps;
  const queue = new RedisJobQueue({
    redis: client,
    keys,
    cache,
    blobs: new RedisBlobStore(client, keys),
    queueMax: config.queueMax,
    resultTtlSeconds: config.resultTtl,
    attempts: config.jobAttempts,
    backoffMs: config.jobBackoffMs,
    cacheParts: { modelSet: redisModelSet(config), lang: config.lang },
    metrics,
  });
  await queue.waitUntilReady();
  const workers = parts.workers ? startWorkers(config, pool, log, metrics) : undefined;
  log.info(
    { prefix: config.redisPrefix, in_process_workers: workers ? config.workers : 0 },
    'job queue on Redis (BullMQ)',
  );
  return {
    queue,
    async drain() {
      await queue.close();
      await workers?.close(shutdownBudget(config.shutdownGrace).jobsMs);
    },
    // Webhooks of in-process workers are closed with them (drain).
    async close() {},
  };
}
