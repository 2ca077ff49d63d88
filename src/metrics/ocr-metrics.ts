// The service's Prometheus metrics (prom-client), one registry per process role: the API app,
// or a worker process (npm run worker). Job code reports through the small JobMetrics interface;
// labels are closed sets (kind, status, stage, route template), never job ids or raw URLs.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import type { StageTimings } from '../native/engine.js';

export type Stage = 'render' | 'decode' | 'det' | 'cls' | 'rec' | 'ort';
export type JobOutcome = 'completed' | 'failed' | 'cached';

/** What the job code reports; optional everywhere, so the queues work without metrics. */
export interface JobMetrics {
  /** A job finished (`seconds`: from start of processing; none for cached jobs). */
  job(kind: string, outcome: JobOutcome, seconds?: number): void;
  /** A page finished; `timings` from the engine (ms), `renderMs` for PDF pages. */
  page(ok: boolean, timings?: StageTimings, renderMs?: number): void;
  /** A stage timed outside the engine (decode), in ms. */
  stage(stage: Stage, ms: number): void;
  /** A lookup in the result cache at submission. */
  cache(hit: boolean): void;
}

export interface MetricSources {
  queue?: () => Promise<{ queued: number; processing: number; unavailable?: string }>;
  pool?: () => { workers: number; active?: number; utilization: number };
}

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const STAGE_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const HTTP_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class OcrMetrics implements JobMetrics {
  readonly registry = new Registry();
  readonly #jobs: Counter<'kind' | 'status'>;
  readonly #jobSeconds: Histogram<'kind'>;
  readonly #pages: Counter<'status'>;
  readonly #stages: Histogram<'stage'>;
  readonly #cache: Counter<'result'>;
  readonly #http: Counter<'method' | 'route' | 'status'>;
  readonly #httpSeconds: Histogram<'method' | 'route' | 'status'>;

  constructor(sources: MetricSources = {}, labels: Record<string, string> = {}) {
    const registers = [this.registry];
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry });
    this.#jobs = new Counter({
      name: 'ocr_jobs_total',
      help: 'OCR jobs finished, by kind (image|pdf) and status (completed|failed|cached)',
      labelNames: ['kind', 'status'],
      registers,
    });
    this.#jobSeconds = new Histogram({
      name: 'ocr_job_duration_seconds',
      help: 'Processing time of a job, start to finish (cached jobs excluded)',
      labelNames: ['kind'],
      buckets: SECONDS,
      registers,
    });
    this.#pages = new Counter({
      name: 'ocr_pages_total',
      help: 'Pages processed, by status (ok|failed)',
      labelNames: ['status'],
      registers,
    });
    this.#stages = new Histogram({
      name: 'ocr_page_stage_seconds',
      help:
        'Time per page and stage: render (PDF), decode (images), det, cls, rec (engine stages), ort ' +
        '(inside ONNX Runtime, across stages)',
      labelNames: ['stage'],
      buckets: STAGE_SECONDS,
      registers,
    });
    this.#cache = new Counter({
      name: 'ocr_cache_requests_total',
      help: 'Result-cache lookups at submission, by result (hit|miss)',
      labelNames: ['result'],
      registers,
    });
    this.#http = new Counter({
      name: 'ocr_http_requests_total',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#httpSeconds = new Histogram({
      name: 'ocr_http_request_duration_seconds',
      help: 'HTTP latency by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_SECONDS,
      registers,
    });
    for (const r of ['hit', 'miss']) this.#cache.inc({ result: r }, 0);
    for (const s of ['ok', 'failed']) this.#pages.inc({ status: s }, 0);
    const { queue, pool } = sources;
    if (queue) {
      new Gauge({
        name: 'ocr_queue_jobs',
        help: 'Jobs by state (queued|processing); in Redis mode from BullMQ, the same on every replica',
        labelNames: ['state'],
        registers,
        async collect() {
          const s = await queue();
          if (s.unavailable) return; // Redis away: no figures rather than zeros
          this.set({ state: 'queued' }, s.queued);
          this.set({ state: 'processing' }, s.processing);
        },
      });
    }
    if (pool) {
      new Gauge({
        name: 'ocr_pool_utilization',
        help: 'Share of OCR worker threads busy right now (0..1)',
        registers,
        collect() {
          const s = pool();
          this.set(s.workers > 0 ? Math.min(1, (s.active ?? 0) / s.workers) : 0);
        },
      });
      new Gauge({
        name: 'ocr_pool_threads',
        help: 'OCR worker threads in this process',
        registers,
        collect() {
          this.set(pool().workers);
        },
      });
    }
  }

  job(kind: string, outcome: JobOutcome, seconds?: number): void {
    this.#jobs.inc({ kind, status: outcome });
    if (seconds !== undefined) this.#jobSeconds.observe({ kind }, seconds);
  }

  page(ok: boolean, timings?: StageTimings, renderMs?: number): void {
    this.#pages.inc({ status: ok ? 'ok' : 'failed' });
    if (renderMs !== undefined) this.stage('render', renderMs);
    if (!timings) return;
    this.stage('det', timings.preprocess + timings.det + timings.postprocess);
    this.stage('cls', timings.cls);
    this.stage('rec', timings.rec);
    this.stage('ort', timings.ortRun);
  }

  stage(stage: Stage, ms: number): void {
    this.#stages.observe({ stage }, ms / 1000);
  }

  cache(hit: boolean): void {
    this.#cache.inc({ result: hit ? 'hit' : 'miss' });
  }

  http(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.#http.inc(labels);
    this.#httpSeconds.observe(labels, seconds);
  }

  /** The exposition in Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
