// The worker side of Redis mode: a BullMQ Worker that feeds this process's Piscina pool. Bad
// input fails at once (UnrecoverableError); other errors retry with exponential backoff; a job
// whose worker died is picked up again by BullMQ's stalled-job check. The record is finished
// once, so a retried job still has exactly one result.
import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

import type { JobErrorCode } from '../../errors.js';
import type { ImageLimits } from '../../image/limits.js';
import type { JobMetrics } from '../../metrics/ocr-metrics.js';
import type { OcrPool } from '../../pool/ocr-pool.js';
import type { BlobStore } from '../blob-store.js';
import { jobsAtOnce } from '../process.js';
import type { ResultCache } from '../result-cache.js';
import { JobAbort, type JobOutcome, runJob } from '../run.js';
import type { JobInput, JobRecord } from '../types.js';
import { type Keys, OCR_QUEUE } from './connection.js';
import type { OcrJobData } from './queue.js';
import { RedisJobRecords } from './records.js';

export interface RedisWorkerOptions {
  url: string;
  /** A client that waits out outages (role 'worker'), for records, blobs and the cache. */
  redis: Redis;
  keys: Keys;
  pool: OcrPool;
  cache: ResultCache;
  blobs: BlobStore;
  limits: ImageLimits;
  /** OCR threads of this process (OCR_WORKERS); it takes jobsAtOnce() of that from Redis at once. */
  workers: number;
  resultTtlSeconds: number;
  /** JOB_TIMEOUT: seconds a job may run once a worker took it. */
  timeoutSeconds: number;
  lockMs: number;
  stalledIntervalMs: number;
  /** Called once per finished job (webhooks). */
  onFinished?(record: JobRecord, callbackUrl: string | undefined): void;
  onError?(err: unknown, jobId: string): void;
  metrics?: JobMetrics;
}

export class RedisOcrWorker {
  readonly worker: Worker<OcrJobData>;
  readonly records: RedisJobRecords;
  readonly #o: RedisWorkerOptions;
  /** Page work of the running jobs, aborted when a shutdown runs out of grace. */
  readonly #running = new Set<JobAbort>();

  constructor(o: RedisWorkerOptions) {
    this.#o = o;
    this.records = new RedisJobRecords(o.redis, o.keys, o.resultTtlSeconds);
    this.worker = new Worker<OcrJobData>(
      OCR_QUEUE,
      (job) => this.#process(job.data, job.attemptsMade, job.opts.attempts ?? 1),
      {
        connection: { url: o.url, maxRetriesPerRequest: null } as never,
        prefix: o.keys.prefix,
        concurrency: jobsAtOnce(o.workers),
        lockDuration: o.lockMs,
        stalledInterval: o.stalledIntervalMs,
        maxStalledCount: 2,
        autorun: true,
      },
    );
    this.worker.on('error', (err) => o.onError?.(err, ''));
    // A job whose workers died more than maxStalledCount times is failed by BullMQ without
    // reaching the processor: finish its record too, or it would stay "processing".
    this.worker.on('stalled', (jobId) => void this.#stalled(jobId).catch((err) => o.onError?.(err, jobId)));
  }

  async #stalled(jobId: string): Promise<void> {
    const job = await Job.fromId<OcrJobData>(this.worker as never, jobId);
    if (!job || (await job.getState()) !== 'failed') return;
    await this.#finishFailed(
      job.data,
      'ocr_failed',
      'The job stopped its workers repeatedly (crash or out of memory) and was given up',
    );
  }

  async #process(data: OcrJobData, attemptsMade: number, attempts: number): Promise<void> {
    const { id } = data;
    if (!(await this.records.start(id))) return; // expired, or finished by an earlier attempt
    const bytes = await this.#o.blobs.get(id);
    if (!bytes) {
      await this.#finishFailed(data, 'not_found', 'The upload expired before a worker took the job');
      throw new UnrecoverableError('upload expired');
    }
    const input = { ...data.input, bytes } as JobInput;
    const abort = new JobAbort();
    this.#running.add(abort);
    const started = Date.now();
    let lastProgress = 0;
    let outcome: JobOutcome;
    try {
      outcome = await runJob(id, input, {
        pool: this.#o.pool,
        limits: this.#o.limits,
        window: this.#o.workers,
        timeoutSeconds: this.#o.timeoutSeconds,
        abort,
        onProgress: (done, total) => {
          const now = Date.now();
          if (done > 0) this.#pageDone(now);
          // At most 5 writes a second; the last page's always.
          if (done !== total && now - lastProgress <= 200) return;
          lastProgress = now;
          this.records.progress(id, done, total).then(
            (ok) => void (ok || abort.cancel()),
            () => {},
          );
        },
        // Every page is written before its progress: a job deleted through the API (its record
        // gone) starts no more pages.
        onPage: (page) =>
          void this.records.partialPage(id, page).then(
            (ok) => ok || abort.cancel(),
            () => {},
          ),
        metrics: this.#o.metrics,
        complete: async (output) => {
          const total = input.pageList?.length ?? input.pages;
          if (await this.records.complete(id, output, { pages_done: total, total_pages: total })) {
            this.#o.metrics?.job(input.kind, 'completed', (Date.now() - started) / 1000);
            await this.#o.cache.set(data.cacheKey, output).catch((err) => this.#o.onError?.(err, id));
            await this.#o.blobs.expire(id, this.#o.resultTtlSeconds);
            await this.#notify(data);
          }
        },
        onError: (err) => this.#o.onError?.(err, id),
      });
    } finally {
      this.#running.delete(abort);
    }
    if (outcome.ok) return;
    switch (outcome.reason) {
      case 'shutdown':
        // Shut down past the grace: the record is left as it is; the job's lock expires and the
        // stalled-job check gives it to another worker.
        throw new Error('worker shut down while the job was running');
      case 'cancelled':
        await this.#o.blobs.delete(id);
        throw new UnrecoverableError('deleted through the API');
      case 'timeout':
      case 'rejected':
        await this.#finishFailed(data, outcome.code, outcome.message);
        throw new UnrecoverableError(outcome.reason === 'timeout' ? 'timeout' : outcome.message);
      case 'internal':
        if (attemptsMade + 1 >= attempts) await this.#finishFailed(data, outcome.code, outcome.message);
        else await this.records.progress(id, 0, input.pages).catch(() => {});
        throw outcome.cause; // BullMQ retries with backoff
    }
  }

  /** Records a finished page for the measured pages/s (the last 32 pages of all workers; expires when idle). */
  #pageDone(now: number): void {
    const key = this.#o.keys.pageTimes;
    this.#o.redis
      .multi()
      .lpush(key, String(now))
      .ltrim(key, 0, 31)
      .expire(key, 3600)
      .exec()
      .catch(() => {});
  }

  async #finishFailed(data: OcrJobData, code: JobErrorCode, message: string): Promise<void> {
    if (await this.records.fail(data.id, { code, message })) {
      this.#o.metrics?.job(data.input.kind, 'failed');
      await this.#o.blobs.delete(data.id);
      await this.#notify(data);
    }
  }

  async #notify(data: OcrJobData): Promise<void> {
    if (!this.#o.onFinished) return;
    const record = await this.records.get(data.id);
    if (record) this.#o.onFinished(record, data.callbackUrl);
  }

  /** Stops taking jobs and waits for the running ones (BullMQ's graceful close). */
  async close(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const closed = this.worker.close();
    const r = await Promise.race([closed, grace]);
    clearTimeout(timer);
    if (r === 'timeout') {
      // Force-close first (no lock renewal, no more Redis writes), then stop the page work.
      const forced = this.worker.close(true);
      for (const a of this.#running) a.shutDown();
      await forced;
    }
  }
}
