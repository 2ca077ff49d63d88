// In-process JobQueue: a bounded FIFO of waiting jobs, a fixed number of jobs processed at once,
// results kept RESULT_TTL then forgotten. Nothing survives a restart (embedded mode).

import { ApiError, type JobErrorCode } from '../errors.js';
import type { ImageLimits } from '../image/limits.js';
import type { JobMetrics } from '../metrics/ocr-metrics.js';
import type { OcrPool } from '../pool/ocr-pool.js';
import { SLOW_PAGE_SECONDS } from '../config.js';
import { PageRate } from './page-rate.js';
import { jobsAtOnce } from './process.js';
import { JobAbort, runJob } from './run.js';
import { newJobRecord } from './new-record.js';
import type { ResultCache } from './result-cache.js';
import type { JobInput, JobQueue, JobRecord, QueueStats } from './types.js';
import { type PackedPage, unpackPage } from './packed.js';

export interface MemoryQueueOptions {
  pool: OcrPool;
  cache: ResultCache;
  limits: ImageLimits;
  /** OCR threads (OCR_WORKERS): pages in flight per job. */
  workers: number;
  /** Waiting jobs at most; one more is a 503. */
  queueMax: number;
  resultTtlSeconds: number;
  /** Seconds a job may run (JOB_TIMEOUT), from its start: queue wait is not counted. */
  timeoutSeconds: number;
  /** Everything besides the bytes that changes the output. */
  cacheParts: { modelSet: string; lang: string };
  onError?(err: unknown, job: JobRecord): void;
  /** A finished job that has a callback URL (webhooks). */
  onFinished?(job: JobRecord, callbackUrl: string): void;
  metrics?: JobMetrics;
}

interface Entry {
  record: JobRecord;
  input?: JobInput;
  /** While running: aborts the job's page work (JOB_TIMEOUT, shutdown). */
  abort?: JobAbort;
  /** Pages finished so far while the job runs, packed (src/jobs/packed.ts): `record.partial` on read. */
  partial?: PackedPage[];
  /** The upload, kept after the job for `source()` (output formats that rebuild the document). */
  source?: Buffer;
  cacheKey: string;
}

/** Uploads kept for `source()` at most, in bytes; the oldest are dropped first. */
const SOURCE_MAX_BYTES = 256 * 1024 * 1024;

export class MemoryJobQueue implements JobQueue {
  readonly #o: MemoryQueueOptions;
  readonly #jobs = new Map<string, Entry>();
  readonly #waiting: Entry[] = [];
  /** Running jobs and the promise of each run. */
  readonly #running = new Map<Entry, Promise<void>>();
  readonly #sweeper: NodeJS.Timeout;
  #accepting = true;
  #sourceBytes = 0;
  readonly #rate = new PageRate();

  constructor(options: MemoryQueueOptions) {
    this.#o = options;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(60_000, options.resultTtlSeconds * 1000)).unref();
  }

  async submit(input: JobInput): Promise<JobRecord> {
    if (!this.#accepting) throw this.#full('The service is shutting down', 30);
    const { record, key } = await newJobRecord(input, this.#o.cache, this.#o.cacheParts, this.#o.metrics);
    if (record.cached) {
      const entry: Entry = { record, cacheKey: key };
      this.#jobs.set(record.id, entry);
      this.#keepSource(entry, input.bytes);
      if (input.callbackUrl) this.#o.onFinished?.(record, input.callbackUrl);
      return record;
    }
    if (this.#waiting.length >= this.#o.queueMax) {
      throw this.#full(`The queue is full (${this.#o.queueMax} jobs waiting); retry later`, this.#retryAfter());
    }
    const entry: Entry = { record, input, cacheKey: key };
    this.#jobs.set(record.id, entry);
    this.#waiting.push(entry);
    this.#pump();
    return record;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const e = this.#jobs.get(id);
    if (!e) return undefined;
    if (this.#expired(e.record, Date.now())) {
      this.#dropSource(e);
      this.#jobs.delete(id);
      return undefined;
    }
    // Partial results (`?partial=true`) are unpacked only when read, not at every status poll.
    const packed = e.partial;
    if (packed && !e.record.output) {
      return Object.defineProperty({ ...e.record }, 'partial', { get: () => packed.map(unpackPage), enumerable: true });
    }
    return e.record;
  }

  async delete(id: string): Promise<boolean> {
    const e = this.#jobs.get(id);
    if (!e) return false;
    this.#jobs.delete(id);
    const waiting = this.#waiting.indexOf(e);
    if (waiting >= 0) this.#waiting.splice(waiting, 1);
    // A running job: the pages not yet started are not started; the running ones are dropped.
    e.abort?.cancel();
    e.input = undefined;
    e.partial = undefined;
    this.#dropSource(e);
    await this.#o.cache.delete(e.cacheKey);
    return true;
  }

  async source(id: string): Promise<Buffer | undefined> {
    const e = this.#jobs.get(id);
    return e && e.record.status === 'completed' && !this.#expired(e.record, Date.now()) ? e.source : undefined;
  }

  /** Keeps the upload of a completed job, dropping the oldest kept uploads beyond SOURCE_MAX_BYTES. */
  #keepSource(entry: Entry, bytes: Buffer): void {
    if (bytes.byteLength > SOURCE_MAX_BYTES) return;
    entry.source = bytes;
    this.#sourceBytes += bytes.byteLength;
    for (const e of this.#jobs.values()) {
      if (this.#sourceBytes <= SOURCE_MAX_BYTES) break;
      if (e.source && e !== entry) this.#dropSource(e);
    }
  }

  #dropSource(e: Entry): void {
    if (!e.source) return;
    this.#sourceBytes -= e.source.byteLength;
    e.source = undefined;
  }

  async stats(): Promise<QueueStats> {
    return {
      queued: this.#waiting.length,
      // By record status, not by running promise: a job whose result is already readable as
      // completed (its promise still settling) is no longer counted as processing.
      processing: [...this.#running.keys()].filter((e) => e.record.status === 'processing').length,
      stored: this.#jobs.size,
      capacity: this.#o.queueMax,
      accepting: this.#accepting && this.#waiting.length < this.#o.queueMax,
    };
  }

  /**
   * Seconds until a waiting slot frees: the running job closest to its end finishes, at the pages/s
   * measured over the last pages (shared by the running jobs). Before any page was measured, a slow
   * machine's rate is assumed.
   */
  #retryAfter(): number {
    let fewest = Number.POSITIVE_INFINITY;
    for (const e of this.#jobs.values()) {
      if (e.record.status !== 'processing') continue;
      const { pages_done, total_pages } = e.record.progress;
      fewest = Math.min(fewest, Math.max(1, (total_pages || e.input?.pages || 1) - pages_done));
    }
    if (!Number.isFinite(fewest)) fewest = 1;
    const perSecond = this.#rate.pagesPerSecond() ?? this.#o.workers / SLOW_PAGE_SECONDS;
    const seconds = (fewest * Math.max(1, this.#running.size)) / perSecond;
    return Math.min(3600, Math.max(1, Math.ceil(seconds)));
  }

  /**
   * Stops accepting and fails the waiting jobs; running jobs get `graceMs`, then their page work is
   * aborted (threads of running pages are ended) and they fail with a message saying so.
   */
  async close(graceMs: number): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#sweeper);
    for (const e of this.#waiting.splice(0)) {
      const url = e.input?.callbackUrl;
      this.#fail(e, 'shutdown', 'The service shut down before this job started; submit it again');
      if (url) this.#o.onFinished?.(e.record, url);
    }
    if (!this.#running.size) return;
    let timer: NodeJS.Timeout | undefined;
    const wait = (ms: number) => new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([Promise.all(this.#running.values()), wait(graceMs)]);
    clearTimeout(timer);
    if (!this.#running.size) return;
    for (const e of this.#jobs.values()) e.abort?.shutDown();
    await Promise.race([Promise.all(this.#running.values()), wait(1000)]);
    clearTimeout(timer);
  }

  #full(message: string, retryAfter: number): ApiError {
    const err = new ApiError('queue_full', message);
    err.retryAfter = retryAfter;
    return err;
  }

  #expired(r: JobRecord, now: number): boolean {
    return r.finishedAt !== undefined && now - r.finishedAt > this.#o.resultTtlSeconds * 1000;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [id, e] of this.#jobs) {
      if (!this.#expired(e.record, now)) continue;
      this.#dropSource(e);
      this.#jobs.delete(id);
    }
  }

  #pump(): void {
    while (this.#accepting && this.#running.size < jobsAtOnce(this.#o.workers) && this.#waiting.length) {
      const entry = this.#waiting.shift()!;
      const p: Promise<void> = this.#run(entry).finally(() => {
        this.#running.delete(entry);
        this.#pump();
      });
      this.#running.set(entry, p);
    }
  }

  async #run(entry: Entry): Promise<void> {
    const { record } = entry;
    const input = entry.input!;
    // Assigned as one: the completion callback changes the status again.
    const startedAt = Date.now();
    Object.assign(record, { status: 'processing', startedAt });
    const abort = new JobAbort();
    entry.abort = abort;
    try {
      const outcome = await runJob(record.id, input, {
        pool: this.#o.pool,
        limits: this.#o.limits,
        window: this.#o.workers,
        timeoutSeconds: this.#o.timeoutSeconds,
        abort,
        onProgress: (done, total) => {
          if (done > record.progress.pages_done) this.#rate.page();
          record.progress = { pages_done: done, total_pages: total };
        },
        onPage: (_page, packed) => (entry.partial ??= []).push(packed),
        metrics: this.#o.metrics,
        complete: async (output) => {
          record.output = output;
          entry.partial = undefined;
          record.status = 'completed';
          this.#keepSource(entry, input.bytes);
          record.finishedAt = Date.now();
          await this.#o.cache.set(entry.cacheKey, output);
        },
        onError: (err) => this.#o.onError?.(err, record),
      });
      if (!outcome.ok) this.#fail(entry, outcome.code, outcome.message);
    } finally {
      entry.input = undefined; // release the upload
      entry.abort = undefined;
      this.#o.metrics?.job(
        record.kind,
        record.status === 'completed' ? 'completed' : 'failed',
        (Date.now() - startedAt) / 1000,
      );
      if (input.callbackUrl && !abort.cancelled) this.#o.onFinished?.(record, input.callbackUrl);
    }
  }

  #fail(entry: Entry, code: JobErrorCode, message: string): void {
    entry.input = undefined;
    Object.assign(entry.record, { status: 'failed', error: { code, message }, finishedAt: Date.now() });
  }
}
