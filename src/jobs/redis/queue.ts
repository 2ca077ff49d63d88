// The API side of Redis mode: a JobQueue that stores the upload and the record in Redis and adds
// a BullMQ job; any worker process takes it. Every Redis call of a request is bounded, so a
// missing Redis answers 503 within a second instead of hanging.

import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { SLOW_PAGE_SECONDS } from '../../config.js';
import { ApiError } from '../../errors.js';
import type { JobMetrics } from '../../metrics/ocr-metrics.js';
import type { BlobStore } from '../blob-store.js';
import { newJobRecord } from '../new-record.js';
import type { ResultCache } from '../result-cache.js';
import type { JobInput, JobQueue, JobRecord, QueueStats } from '../types.js';
import { type Keys, OCR_QUEUE, deadline } from './connection.js';
import { PENDING_TTL_SECONDS, RedisJobRecords } from './records.js';

/** What a BullMQ job carries: the input without its bytes (those are in the blob store). */
export interface OcrJobData {
  id: string;
  input: Omit<JobInput, 'bytes'>;
  cacheKey: string;
  callbackUrl?: string;
}

export interface RedisQueueOptions {
  redis: Redis;
  keys: Keys;
  cache: ResultCache;
  blobs: BlobStore;
  queueMax: number;
  resultTtlSeconds: number;
  attempts: number;
  backoffMs: number;
  cacheParts: { modelSet: string; lang: string };
  metrics?: JobMetrics;
  /** Milliseconds a submission may spend on Redis before it is a 503. */
  deadlineMs?: number;
}

export function unavailable(err?: unknown): ApiError {
  const e = new ApiError('unavailable', 'The job store (Redis) is unavailable; retry shortly');
  e.retryAfter = 5;
  if (err) e.cause = err;
  return e;
}

export class RedisJobQueue implements JobQueue {
  readonly queue: Queue<OcrJobData>;
  readonly records: RedisJobRecords;
  readonly #o: RedisQueueOptions;
  #accepting = true;

  constructor(o: RedisQueueOptions) {
    this.#o = o;
    this.records = new RedisJobRecords(o.redis, o.keys, o.resultTtlSeconds);
    this.queue = new Queue<OcrJobData>(OCR_QUEUE, {
      connection: o.redis,
      prefix: o.keys.prefix,
      defaultJobOptions: {
        attempts: o.attempts,
        backoff: { type: 'exponential', delay: o.backoffMs },
        removeOnComplete: true,
        removeOnFail: { age: o.resultTtlSeconds },
      },
    });
    // Connection errors reach the submissions as 503s; logging each reconnect is enough.
    this.queue.on('error', () => {});
  }

  waitUntilReady(): Promise<unknown> {
    return this.queue.waitUntilReady();
  }

  #bounded<T>(p: Promise<T>): Promise<T> {
    return deadline(p, this.#o.deadlineMs ?? 900, () => unavailable()).catch((err: unknown) => {
      throw err instanceof ApiError ? err : unavailable(err);
    });
  }

  async submit(input: JobInput): Promise<JobRecord> {
    if (!this.#accepting) {
      const e = new ApiError('queue_full', 'The service is shutting down');
      e.retryAfter = 30;
      throw e;
    }
    return this.#bounded(this.#submit(input));
  }

  async #submit(input: JobInput): Promise<JobRecord> {
    const { bytes, callbackUrl, ...rest } = input;
    const { record, key } = await newJobRecord(input, this.#o.cache, this.#o.cacheParts, this.#o.metrics);
    if (record.cached) {
      await this.records.create(record, callbackUrl, key);
      await this.#o.blobs.put(record.id, bytes, this.#o.resultTtlSeconds);
      return record;
    }
    const waiting = await this.queue.getWaitingCount();
    if (waiting >= this.#o.queueMax) {
      const e = new ApiError('queue_full', `The queue is full (${this.#o.queueMax} jobs waiting); retry later`);
      e.retryAfter = await this.#retryAfter();
      throw e;
    }
    await this.#o.blobs.put(record.id, bytes, PENDING_TTL_SECONDS);
    await this.records.create(record, callbackUrl, key);
    await this.queue.add('ocr', { id: record.id, input: rest, cacheKey: key, callbackUrl }, { jobId: record.id });
    return record;
  }

  /**
   * Seconds until a waiting slot frees: the active job closest to its end finishes, at the pages/s
   * the workers measured over their last pages (a slow machine's rate before any was measured).
   */
  async #retryAfter(): Promise<number> {
    const [times, active] = await Promise.all([
      this.#o.redis.lrange(this.#o.keys.pageTimes, 0, 31),
      this.queue.getActive(0, 49),
    ]);
    const now = Date.now();
    const t = times.map(Number).filter(Number.isFinite);
    const span = t.length >= 2 ? (now - Math.min(...t)) / 1000 : 0;
    const perSecond = span > 0 ? (t.length - 1) / span : Math.max(1, active.length) / SLOW_PAGE_SECONDS;
    let fewest = Number.POSITIVE_INFINITY;
    for (const job of active) {
      const r = await this.records.get(job.data.id);
      const total = r?.progress.total_pages || job.data.input.pageList?.length || job.data.input.pages || 1;
      fewest = Math.min(fewest, Math.max(1, total - (r?.progress.pages_done ?? 0)));
    }
    if (!Number.isFinite(fewest)) fewest = 1;
    return Math.min(3600, Math.max(1, Math.ceil((fewest * Math.max(1, active.length)) / perSecond)));
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const r = await this.#bounded(this.records.get(id));
    if (!r) return undefined;
    const { callbackUrl: _c, ...record } = r;
    return record;
  }

  async delete(id: string): Promise<boolean> {
    return this.#bounded(this.#delete(id));
  }

  /**
   * A waiting BullMQ job is removed; an active one is locked by its worker, which finds the record
   * gone at its next page and stops (records.partialPage): the record is the cancel flag.
   */
  async #delete(id: string): Promise<boolean> {
    const job = await this.queue.getJob(id);
    // taken meanwhile: the worker stops
    if (job && (await job.getState()) !== 'active') await job.remove().catch(() => {});
    const cacheKey = await this.records.remove(id);
    if (cacheKey === null) return false;
    await this.#o.blobs.delete(id);
    if (cacheKey) await this.#o.cache.delete(cacheKey);
    return true;
  }

  async source(id: string): Promise<Buffer | undefined> {
    const status = await this.#bounded(this.#o.redis.hget(this.#o.keys.job(id), 'status'));
    if (status !== 'completed') return undefined;
    return this.#bounded(this.#o.blobs.get(id));
  }

  async stats(): Promise<QueueStats> {
    try {
      const c = await deadline(
        this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
        900,
        () => new Error('timeout'),
      );
      const queued = (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
      return {
        queued,
        processing: c.active ?? 0,
        stored: queued + (c.active ?? 0),
        capacity: this.#o.queueMax,
        accepting: this.#accepting && (c.waiting ?? 0) < this.#o.queueMax,
      };
    } catch {
      return {
        queued: 0,
        processing: 0,
        stored: 0,
        capacity: this.#o.queueMax,
        accepting: false,
        unavailable: 'Redis is unreachable',
      };
    }
  }

  async close(): Promise<void> {
    this.#accepting = false;
    await this.queue.close();
  }
}
