// Memory or Redis, decided here and nowhere else (REDIS_URL, WORKER_IN_PROCESS): the OCR pool, the
// result cache, the job queue and the rate-limit counters of one API process, made together for the
// plugins that wrap them. Without REDIS_URL everything lives in this process. With it, jobs, results,
// cached outputs and rate-limit counts live in Redis, shared by every replica, and an API replica
// with WORKER_IN_PROCESS=false runs no engine: worker processes (`npm run worker`) take its jobs.
import type { Redis } from 'ioredis';
import type { BaseLogger } from 'pino';

import type { Config } from '../config.js';
import type { JobMetrics } from '../metrics/ocr-metrics.js';
import type { OcrPool } from '../pool/ocr-pool.js';
import { ThreadPool } from '../pool/thread-pool.js';
import { MemoryJobQueue } from './memory-queue.js';
import { RedisResultCache } from './redis/cache.js';
import { Keys, createRedis, watchProducer } from './redis/connection.js';
import { RemotePool } from './redis/remote-pool.js';
import { webhookSender } from './redis/runtime.js';
import { redisJobs } from './redis/setup.js';
import { MemoryResultCache, type ResultCache } from './result-cache.js';
import { shutdownBudget } from './shutdown.js';
import type { JobQueue } from './types.js';

export interface BackendMode {
  /** REDIS_URL is set: the queue, results, cache and rate-limit counts are in Redis. */
  redis: boolean;
  /** This process runs the OCR engine and takes jobs (false: an API replica beside worker processes). */
  runsJobs: boolean;
}

export function backendMode(config: Pick<Config, 'redisUrl' | 'workerInProcess'>): BackendMode {
  const redis = !!config.redisUrl;
  return { redis, runsJobs: !redis || config.workerInProcess };
}

/** The API's Redis client (fails fast, no offline queue) and key names, in Redis mode. */
export interface RedisConnection {
  client: Redis;
  keys: Keys;
}

/**
 * Where @fastify/rate-limit counts, as its options: its Redis store in Redis mode (one count per
 * client across replicas; a Redis outage lets the request through to the submission, which answers
 * 503 itself), its in-memory store otherwise (no options).
 */
export interface RateLimitStore {
  redis?: Redis;
  nameSpace?: string;
  skipOnError?: boolean;
}

/** The job queue and its shutdown in two steps (src/server.ts drains first, the app closes after). */
export interface Jobs {
  queue: JobQueue;
  /** Stops taking jobs and lets the running ones finish within the jobs' part of SHUTDOWN_GRACE. */
  drain(): Promise<void>;
  /** After drain: what outlives the jobs (webhook deliveries) gets the rest of the grace. */
  close(): Promise<void>;
}

export interface Backend {
  readonly mode: BackendMode;
  /** Set in Redis mode only. */
  readonly redis: RedisConnection | undefined;
  /** The threads of this process, or a stand-in that runs no engine (WORKER_IN_PROCESS=false). */
  readonly pool: OcrPool;
  readonly cache: ResultCache;
  readonly rateLimitStore: RateLimitStore;
  /** The job queue (and in-process queue workers), made once the pool has started. */
  startJobs(): Promise<Jobs>;
}

export interface BackendDeps {
  log: Pick<BaseLogger, 'info' | 'warn' | 'error'>;
  metrics?: JobMetrics;
}

/** Throws when the pool cannot be made (OCR_LANG's model set is not installed). */
export function createBackend(config: Config, deps: BackendDeps): Backend {
  const mode = backendMode(config);
  // The pool first: when it throws, no Redis client has been opened.
  const pool = mode.runsJobs ? new ThreadPool(config) : new RemotePool(config);
  if (!mode.redis) {
    const cache = new MemoryResultCache({ maxBytes: config.cacheMaxBytes, ttlSeconds: config.cacheTtl });
    return {
      mode,
      redis: undefined,
      pool,
      cache,
      rateLimitStore: {},
      startJobs: async () => memoryJobs(config, pool, cache, deps),
    };
  }
  const redis: RedisConnection = {
    client: createRedis(config.redisUrl, 'producer'),
    keys: new Keys(config.redisPrefix),
  };
  watchProducer(redis.client, deps.log);
  const cache = new RedisResultCache(redis.client, redis.keys, config.cacheTtl);
  return {
    mode,
    redis,
    pool,
    cache,
    rateLimitStore: { redis: redis.client, nameSpace: redis.keys.rateLimit, skipOnError: true },
    startJobs: () => redisJobs(config, { ...redis, pool, cache, workers: mode.runsJobs }, deps),
  };
}

/** The in-process queue; cached results are keyed on the model set the started engine runs. */
function memoryJobs(config: Config, pool: OcrPool, cache: ResultCache, { log, metrics }: BackendDeps): Jobs {
  const webhooks = webhookSender(config, log);
  const queue = new MemoryJobQueue({
    pool,
    cache,
    limits: { maxWidth: config.maxImageWidth, maxHeight: config.maxImageHeight, maxPixels: config.maxImagePixels },
    workers: config.workers,
    queueMax: config.queueMax,
    resultTtlSeconds: config.resultTtl,
    timeoutSeconds: config.jobTimeout,
    cacheParts: { modelSet: pool.info?.modelSet ?? config.model, lang: config.lang },
    onError: (err, job) => log.error({ err, job_id: job.id }, 'job failed with an internal error'),
    onFinished: (job, url) => webhooks.send(url, job),
    metrics,
  });
  const { jobsMs, restMs } = shutdownBudget(config.shutdownGrace);
  return { queue, drain: () => queue.close(jobsMs), close: () => webhooks.close(restMs / 2) };
}
