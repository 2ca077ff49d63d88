// In-process JobQueue: a bounded FIFO of waiting jobs, a fixed number of jobs processed at once,
// results kept RESULT_TTL then forgotten. Nothing survives a restart (embedded mode).

import { ApiError } from '../errors.js';
import type { ImageLimits } from '../image/limits.js';
import type { JobMetrics } from '../metrics/ocr-metrics.js';
import type { OcrPool } from '../plugins/ocr-pool.js';
import { processJob } from './process.js';
import { newJobRecord } from './new-record.js';
import type { ResultCache } from './result-cache.js';
import type { JobInput, JobQueue, JobRecord, QueueStats } from './types.js';

export interface MemoryQueueOptions {
  pool: OcrPool;
  cache: ResultCache;
  limits: ImageLimits;
  /** Jobs processed at once. */
  concurrency: number;
  /** Waiting jobs at most; one more is a 503. */
  queueMax: number;
  resultTtlSeconds: number;
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
  readonly #running = new Set<Promise<void>>();
  readonly #sweeper: NodeJS.Timeout;
  #accepting = true;
  #sourceBytes = 0;
  /** Recent job durations, for Retry-After. */
  #avgMs = 2000;

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
      const seconds = Math.ceil(((this.#waiting.length / this.#o.concurrency) * this.#avgMs) / 1000);
      throw this.#full(`The queue is full (${this.#o.queueMax} jobs waiting); retry later`, Math.max(1, seconds));
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
    return e.record;
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
      processing: this.#running.size,
      stored: this.#jobs.size,
      capacity: this.#o.queueMax,
      accepting: this.#accepting && this.#waiting.length < this.#o.queueMax,
    };
  }

  async close(graceMs: number): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#sweeper);
    for (const e of this.#waiting.splice(0)) this.#fail(e, 'shutdown', 'The service shut down before this job started');
    if (this.#running.size) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.all(this.#running), grace]);
      clearTimeout(timer);
    }
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
    while (this.#accepting && this.#running.size < this.#o.concurrency && this.#waiting.length) {
      const entry = this.#waiting.shift()!;
      const p: Promise<void> = this.#run(entry).finally(() => {
        this.#running.delete(p);
        this.#pump();
      });
      this.#running.add(p);
    }
  }

  async #run(entry: Entry): Promise<void> {
    const { record } = entry;
    const input = entry.input!;
    record.status = 'processing';
    record.startedAt = Date.now();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#o.timeoutSeconds * 1000);
    try {
      const output = await processJob(record.id, input, {
        pool: this.#o.pool,
        limits: this.#o.limits,
        window: this.#o.concurrency,
        signal: abort.signal,
        onProgress: (done, total) => (record.progress = { pages_done: done, total_pages: total }),
        onPage: (page) => (record.partial ??= []).push(page),
        metrics: this.#o.metrics,
      });
      if (abort.signal.aborted) throw abort.signal.reason;
      record.output = output;
      record.partial = undefined;
      record.status = 'completed';
      this.#keepSource(entry, input.bytes);
      record.finishedAt = Date.now();
      await this.#o.cache.set(entry.cacheKey, output);
    } catch (err) {
      if (abort.signal.aborted) {
        this.#fail(entry, 'timeout', `Processing took longer than REQUEST_TIMEOUT (${this.#o.timeoutSeconds} s)`);
      } else if (err instanceof ApiError) {
        this.#fail(entry, err.code, err.message);
      } else {
        this.#o.onError?.(err, record);
        this.#fail(entry, 'ocr_failed', 'Processing failed because of an internal error');
      }
    } finally {
      clearTimeout(timer);
      entry.input = undefined; // release the upload
      this.#avgMs = 0.8 * this.#avgMs + 0.2 * (Date.now() - record.startedAt);
      this.#o.metrics?.job(record.kind, record.status === 'completed' ? 'completed' : 'failed', (Date.now() - record.startedAt) / 1000);
      if (input.callbackUrl) this.#o.onFinished?.(record, input.callbackUrl);
    }
  }

  #fail(entry: Entry, code: string, message: string): void {
    entry.input = undefined;
    Object.assign(entry.record, { status: 'failed', error: { code, message }, finishedAt: Date.now() });
  }
}
