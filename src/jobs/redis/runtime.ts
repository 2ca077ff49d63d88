// Queue workers with everything they need (own Redis clients, cache, blob store, webhooks), for
// the worker entry point (src/worker-main.ts) and for the API's in-process workers.
import type { Config } from '../../config.js';
import type { JobMetrics } from '../../metrics/ocr-metrics.js';
import type { OcrPool } from '../../pool/ocr-pool.js';
import { RedisBlobStore } from '../blob-store.js';
import { WebhookSender } from '../webhook.js';
import { RedisResultCache } from './cache.js';
import { Keys, createRedis } from './connection.js';
import { RedisOcrWorker } from './worker.js';

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerRuntime {
  worker: RedisOcrWorker;
  /** Finishes running jobs (up to graceMs), then closes the connections. */
  close(graceMs: number): Promise<void>;
  /** Redis answers a PING within timeoutMs (worker health). */
  redisReachable(timeoutMs?: number): Promise<boolean>;
}

export function webhookSender(config: Config, log?: Log): WebhookSender {
  return new WebhookSender({
    secret: config.webhookSecret,
    allowPrivate: config.webhookAllowPrivate,
    attempts: config.webhookAttempts,
    backoffMs: config.webhookBackoffMs,
    timeoutMs: config.webhookTimeoutMs,
    log,
  });
}

export function startWorkers(config: Config, pool: OcrPool, log: Log, metrics?: JobMetrics): WorkerRuntime {
  const redis = createRedis(config.redisUrl, 'worker');
  redis.on('error', () => {}); // reconnects by itself; BullMQ's own clients report through worker 'error'
  const keys = new Keys(config.redisPrefix);
  const webhooks = webhookSender(config, log);
  const worker = new RedisOcrWorker({
    url: config.redisUrl,
    redis,
    keys,
    pool,
    cache: new RedisResultCache(redis, keys, config.cacheTtl),
    blobs: new RedisBlobStore(redis, keys),
    limits: { maxWidth: config.maxImageWidth, maxHeight: config.maxImageHeight, maxPixels: config.maxImagePixels },
    workers: config.workers,
    resultTtlSeconds: config.resultTtl,
    timeoutSeconds: config.jobTimeout,
    lockMs: config.jobLockMs,
    stalledIntervalMs: config.jobStalledIntervalMs,
    metrics,
    onFinished: (record, url) => {
      if (url) webhooks.send(url, record);
    },
    onError: (err, jobId) =>
      log.error({ err, job_id: jobId || undefined }, jobId ? 'job attempt failed' : 'queue worker error'),
  });
  return {
    worker,
    async redisReachable(timeoutMs = 1000) {
      // Commands wait for a reconnect here (workers ride Redis outages out): a PING that has not
      // answered within the timeout counts as unreachable.
      if (redis.status !== 'ready') return false;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      try {
        return await Promise.race([redis.ping().then((r) => r === 'PONG'), late]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close(graceMs) {
      await worker.close(graceMs);
      await webhooks.close(Math.min(graceMs, 1000));
      redis.disconnect();
    },
  };
}
