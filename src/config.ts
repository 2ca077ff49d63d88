// Environment read once at start-up, validated with TypeBox; the typed Config is passed down.
// An invalid value stops the start-up with a message naming the variable.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

import { parseLanguages } from './lang/tesseract.js';

const Int = (def: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  Type.Integer({ default: def, minimum: min, maximum: max });

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Names and defaults of the seed service where one existed; the rest are ours.
export const EnvSchema = Type.Object({
  HOST: Type.String({ default: '0.0.0.0', minLength: 1 }),
  PORT: Int(5000, 0, 65535),
  OCR_LANG: Type.String({ default: 'auto', minLength: 1 }),
  OCR_RESTORE_DIACRITICS: Type.Boolean({ default: true }),
  OCR_MODEL: Type.String({ default: '' }),
  OCR_MODELS_DIR: Type.String({ default: '' }),
  OCR_USE_CLASSIFIER: Type.Boolean({ default: false }),
  OCR_ORIENTATION: Type.Union([Type.Literal('auto'), Type.Literal('off')], { default: 'auto' }),
  PDF_TEXT: Type.Union([Type.Literal('auto'), Type.Literal('ocr'), Type.Literal('force')], { default: 'auto' }),
  USE_GPU: Type.Boolean({ default: false }),
  OCR_GPU_DEVICE: Int(0, 0, 255),
  MAX_CONTENT_LENGTH: Int(52428800, 1),
  UPLOAD_FOLDER: Type.String({ default: path.join(os.tmpdir(), 'ocr-uploads') }),
  // A letter page at 400 dpi (3400x4400) and an A3 page at 300 dpi fit; the pixel budget is the
  // one a rendered PDF page already has (MAX_PDF_PAGE_PIXELS), so peak memory per page is unchanged.
  MAX_IMAGE_WIDTH: Int(10_000, 1, 65535),
  MAX_IMAGE_HEIGHT: Int(10_000, 1, 65535),
  MAX_IMAGE_PIXELS: Int(40_000_000, 1),
  MAX_PDF_PAGES: Int(100, 1),
  MAX_PDF_PAGE_PIXELS: Int(40_000_000, 1),
  DEFAULT_DPI: Int(300, 72, 1200),
  MAX_DPI: Int(600, 72, 1200),
  // HTTP: the whole request (headers and body) must arrive within REQUEST_TIMEOUT, the headers
  // within HEADERS_TIMEOUT (slow uploads are closed: README, "Security").
  REQUEST_TIMEOUT: Int(300, 1, 86_400),
  HEADERS_TIMEOUT: Int(20, 1, 3600),
  // A request body arriving slower than MIN_UPLOAD_RATE bytes/s (over a window, after a grace) is
  // cut with 408 long before REQUEST_TIMEOUT; 0: off.
  MIN_UPLOAD_RATE: Int(1024, 0, 1_000_000_000),
  // Jobs: a page's rendering or recognition may run PAGE_TIMEOUT seconds; a job JOB_TIMEOUT in all
  // (0: what the largest accepted document needs on a slow machine). Queue wait counts for neither.
  PAGE_TIMEOUT: Int(120, 1, 86_400),
  // /health/alive fails when the OCR pool has had work for this long without finishing a page.
  STALL_TIMEOUT: Int(300, 1, 86_400),
  JOB_TIMEOUT: Int(0, 0, 7 * 86_400),
  MAX_TIFF_PAGES: Int(100, 1, 100_000),
  PDF_RENDER_MEMORY_MB: Int(1024, 64, 2048),
  LOG_LEVEL: Type.Union(
    LEVELS.map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  OCR_WORKERS: Int(0, 0, 256),
  OCR_THREADS_PER_WORKER: Int(0, 0, 256),
  OCR_SPINNING: Type.Union([Type.Literal('auto'), Type.Literal('true'), Type.Literal('false')], { default: 'auto' }),
  RATE_LIMIT_PER_MINUTE: Int(60, 0),
  // `?wait=SECONDS` on submissions and results: the longest a request may hold for the result.
  WAIT_MAX: Int(60, 0, 600),
  TRUST_PROXY: Type.String({ default: 'false' }),
  RESULT_TTL: Int(3600, 1),
  REDIS_CACHE_TTL: Int(3600, 0),
  CACHE_MAX_BYTES: Int(64 * 1024 * 1024, 0),
  QUEUE_MAX: Int(100, 1),
  MAX_BATCH_FILES: Int(20, 1, 1000),
  SHUTDOWN_GRACE: Int(30, 0),
  // Scale-out (README, "Scale-out on Redis"): empty REDIS_URL = embedded mode.
  REDIS_URL: Type.String({ default: '' }),
  REDIS_PREFIX: Type.String({ default: 'ocr', minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' }),
  WORKER_IN_PROCESS: Type.Boolean({ default: true }),
  JOB_ATTEMPTS: Int(3, 1, 100),
  JOB_BACKOFF_MS: Int(1000, 0),
  JOB_LOCK_MS: Int(30_000, 1000),
  JOB_STALLED_INTERVAL_MS: Int(30_000, 500),
  WEBHOOK_SECRET: Type.String({ default: '' }),
  WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false }),
  WEBHOOK_ATTEMPTS: Int(5, 1, 100),
  WEBHOOK_BACKOFF_MS: Int(1000, 0),
  WEBHOOK_TIMEOUT_MS: Int(10_000, 100),
  // Operations (README, "Metrics" and "API keys").
  METRICS_ENABLED: Type.Boolean({ default: true }),
  METRICS_PORT: Int(9464, 0, 65535),
  API_KEYS: Type.String({ default: '' }),
  API_KEYS_FILE: Type.String({ default: '' }),
  API_KEYS_OPEN: Type.String({
    default: 'health,metrics',
    pattern: '^\\s*(none|(health|metrics)\\s*(,\\s*(health|metrics)\\s*)*)$',
  }),
});
export type Env = Static<typeof EnvSchema>;

export interface Config {
  host: string;
  port: number;
  /** Default language of a request without `lang` (OCR_LANG): a code, or 'auto' (detected per page). */
  lang: string;
  /** Restore accents the model set cannot read, from the language's dictionary (OCR_RESTORE_DIACRITICS). */
  restoreDiacritics: boolean;
  /** Model set name; empty means the language's default. */
  model: string;
  /** Where downloaded model sets live ('' = models/cache). */
  modelsDir: string;
  /** Run the 0/180 line classifier on every line (rotated or upside-down scans). */
  useClassifier: boolean;
  /** Decide each page's orientation and read turned pages upright (OCR_ORIENTATION; a request's `orientation`). */
  orientation: 'auto' | 'off';
  /** Where a PDF page's text comes from (PDF_TEXT; a request's `pdf_text`): src/jobs/types.ts PdfTextMode. */
  pdfText: 'auto' | 'ocr' | 'force';
  useGpu: boolean;
  /** CUDA device ordinal (OCR_GPU_DEVICE), counted within CUDA_VISIBLE_DEVICES. */
  gpuDevice: number;
  maxContentLength: number;
  uploadFolder: string;
  maxImageWidth: number;
  maxImageHeight: number;
  maxImagePixels: number;
  maxPdfPages: number;
  maxPdfPagePixels: number;
  defaultDpi: number;
  minDpi: number;
  maxDpi: number;
  /** Seconds an HTTP request (headers and body) may take to arrive. */
  requestTimeout: number;
  /** Seconds the request headers may take to arrive. */
  headersTimeout: number;
  /** Bytes/s a request body must arrive at, averaged over a window after a grace (0: no floor). */
  minUploadRate: number;
  /** Seconds a page's rendering, or its recognition, may run; past it the page fails alone. */
  pageTimeout: number;
  /** Seconds the OCR pool may have work without finishing a page before it is reported not alive. */
  stallTimeout: number;
  /** Seconds a job may run in all (from its start, not counting queue wait). */
  jobTimeout: number;
  maxTiffPages: number;
  /** Megabytes of WebAssembly memory PDFium may use for one document (render thread, probe). */
  pdfRenderMemoryMb: number;
  logLevel: (typeof LEVELS)[number];
  workers: number;
  threadsPerWorker: number;
  /**
   * ONNX Runtime's intra-op threads spin between operators (OCR_SPINNING). auto: on when one CPU
   * worker runs several threads (the default on 2 cores), where it measured 0.94x the engine time;
   * off with several workers, whose threads would take each other's cores.
   */
  spinning: boolean;
  rateLimitPerMinute: number;
  /** WAIT_MAX: upper bound of `?wait=` in seconds (0: `wait` is ignored). */
  waitMax: number;
  trustProxy: boolean | number | string;
  /** Seconds. */
  resultTtl: number;
  /** Seconds; 0 disables the cache. */
  cacheTtl: number;
  cacheMaxBytes: number;
  queueMax: number;
  maxBatchFiles: number;
  /** Seconds given to running jobs on SIGTERM. */
  shutdownGrace: number;
  /** Empty: embedded mode. */
  redisUrl: string;
  /** Prefix of every Redis key (BullMQ queues, jobs, cache, blobs, rate limit). */
  redisPrefix: string;
  /** Redis mode: the API process also runs queue workers. */
  workerInProcess: boolean;
  jobAttempts: number;
  jobBackoffMs: number;
  jobLockMs: number;
  jobStalledIntervalMs: number;
  webhookSecret: string;
  webhookAllowPrivate: boolean;
  webhookAttempts: number;
  webhookBackoffMs: number;
  webhookTimeoutMs: number;
  /** GET /metrics (and the worker processes' metrics server). */
  metricsEnabled: boolean;
  /** Worker processes (npm run worker) serve /metrics on this port; 0 = none. */
  metricsPort: number;
  /** sha256 (hex) of each accepted API key; empty = no keys required. */
  apiKeyHashes: string[];
  /** Which of health and metrics stay reachable without a key when keys are on. */
  apiKeysOpen: { health: boolean; metrics: boolean };
}

export class ConfigError extends Error {}

const LEVEL_ALIASES: Record<string, string> = { warning: 'warn', critical: 'fatal' };

function normalize(name: string, raw: string): unknown {
  const v = raw.trim();
  if (name === 'OCR_ORIENTATION' || name === 'PDF_TEXT') return v.toLowerCase();
  if (name === 'LOG_LEVEL') {
    const l = v.toLowerCase();
    return LEVEL_ALIASES[l] ?? l;
  }
  if (
    name === 'USE_GPU' ||
    name === 'OCR_USE_CLASSIFIER' ||
    name === 'OCR_RESTORE_DIACRITICS' ||
    name === 'WORKER_IN_PROCESS' ||
    name === 'WEBHOOK_ALLOW_PRIVATE' ||
    name === 'METRICS_ENABLED'
  ) {
    const l = v.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(l)) return true;
    if (['false', '0', 'no', 'off', ''].includes(l)) return false;
    return v;
  }
  const schema = EnvSchema.properties[name as keyof Env] as { type?: string };
  if (schema.type === 'integer') return /^-?\d+$/.test(v) ? Number(v) : v;
  return v;
}

function parseTrustProxy(v: string): boolean | number | string {
  const l = v.trim().toLowerCase();
  if (['', 'false', '0', 'no', 'off'].includes(l)) return false;
  if (['true', 'yes', 'on'].includes(l)) return true;
  if (/^\d+$/.test(l)) return Number(l); // hop count
  return v.trim(); // addresses / CIDRs, comma separated
}

/**
 * One ONNX Runtime thread per worker, one worker per CPU. With PP-OCRv6 tiny the pages' stages are
 * short and many: single-thread workers keep every core busy where one worker of two threads waits
 * on its own synchronisation (bench-cpu, 44 pages, 2 cores: 1.150x Tesseract's pages/s against
 * 0.915x with 1 x 2). Each worker holds a page's tensors, but tiny's are small (README "Speed").
 */
function defaultThreads(_useGpu = false): number {
  // On a GPU the kernels run on the device too: a worker's intra-op threads would only idle.
  return 1;
}

function spinning(e: Env, workers: number, threads: number): boolean {
  if (e.OCR_SPINNING !== 'auto') return e.OCR_SPINNING === 'true';
  return !e.USE_GPU && workers === 1 && threads > 1;
}

/**
 * CPU: workers x threads = the CPUs. GPU: one worker thread per CPU (up to GPU_FEEDERS) around the
 * one shared GPU session: each decodes, crops, normalizes and decodes outputs of its own page while
 * the others' kernels run, so the device is not left waiting for one thread.
 */
const GPU_FEEDERS = 16;
function defaultWorkers(threadsPerWorker: number, useGpu = false): number {
  if (useGpu) return Math.max(1, Math.min(GPU_FEEDERS, os.availableParallelism()));
  return Math.max(1, Math.floor(os.availableParallelism() / threadsPerWorker));
}

/**
 * The default job time limit: the largest accepted document at 20 s a page (a 300 dpi page on one
 * slow, shared core; 2 cores did 0.2-0.33 pages/s), at least 10 minutes.
 */
export const SLOW_PAGE_SECONDS = 20;
function defaultJobTimeout(maxPages: number): number {
  return Math.max(600, maxPages * SLOW_PAGE_SECONDS);
}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(EnvSchema.properties)) {
    const raw = env[name];
    if (raw !== undefined && raw.trim() !== '') input[name] = normalize(name, raw);
  }
  const withDefaults = Value.Default(EnvSchema, input) as Env;
  const problems: string[] = [];
  for (const e of Value.Errors(EnvSchema, withDefaults)) {
    const name = e.path.replace(/^\//, '').split('/')[0];
    if (problems.some((p) => p.startsWith(`${name} `))) continue;
    problems.push(`${name} ${e.message.toLowerCase()} (received ${JSON.stringify(env[name])})`);
  }
  const e = withDefaults;
  if (!problems.length && e.DEFAULT_DPI > e.MAX_DPI) {
    problems.push(`DEFAULT_DPI must not exceed MAX_DPI (${e.MAX_DPI}) (received ${e.DEFAULT_DPI})`);
  }
  if (!problems.length && e.REDIS_URL && !/^rediss?:\/\//.test(e.REDIS_URL)) {
    problems.push(`REDIS_URL must start with redis:// or rediss:// (received ${JSON.stringify(e.REDIS_URL)})`);
  }
  if (!problems.length && e.HEADERS_TIMEOUT > e.REQUEST_TIMEOUT) {
    problems.push(
      `HEADERS_TIMEOUT must not exceed REQUEST_TIMEOUT (${e.REQUEST_TIMEOUT}) (received ${e.HEADERS_TIMEOUT})`,
    );
  }
  const threadsPerWorker = e.OCR_THREADS_PER_WORKER || defaultThreads(e.USE_GPU);
  const workers = e.OCR_WORKERS || defaultWorkers(threadsPerWorker, e.USE_GPU);
  let apiKeyHashes: string[] = [];
  if (!problems.length) {
    try {
      parseLanguages(e.OCR_LANG, 'OCR_LANG');
      apiKeyHashes = readApiKeys(e.API_KEYS, e.API_KEYS_FILE);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  const open = new Set(e.API_KEYS_OPEN.split(',').map((s) => s.trim()));
  return {
    host: e.HOST,
    port: e.PORT,
    lang: e.OCR_LANG,
    restoreDiacritics: e.OCR_RESTORE_DIACRITICS,
    model: e.OCR_MODEL,
    modelsDir: e.OCR_MODELS_DIR,
    useClassifier: e.OCR_USE_CLASSIFIER,
    orientation: e.OCR_ORIENTATION,
    pdfText: e.PDF_TEXT,
    useGpu: e.USE_GPU,
    gpuDevice: e.OCR_GPU_DEVICE,
    maxContentLength: e.MAX_CONTENT_LENGTH,
    uploadFolder: e.UPLOAD_FOLDER,
    maxImageWidth: e.MAX_IMAGE_WIDTH,
    maxImageHeight: e.MAX_IMAGE_HEIGHT,
    maxImagePixels: e.MAX_IMAGE_PIXELS,
    maxPdfPages: e.MAX_PDF_PAGES,
    maxPdfPagePixels: e.MAX_PDF_PAGE_PIXELS,
    defaultDpi: e.DEFAULT_DPI,
    minDpi: 72,
    maxDpi: e.MAX_DPI,
    requestTimeout: e.REQUEST_TIMEOUT,
    headersTimeout: e.HEADERS_TIMEOUT,
    minUploadRate: e.MIN_UPLOAD_RATE,
    pageTimeout: e.PAGE_TIMEOUT,
    stallTimeout: e.STALL_TIMEOUT,
    jobTimeout: e.JOB_TIMEOUT || defaultJobTimeout(Math.max(e.MAX_PDF_PAGES, e.MAX_TIFF_PAGES)),
    maxTiffPages: e.MAX_TIFF_PAGES,
    pdfRenderMemoryMb: e.PDF_RENDER_MEMORY_MB,
    logLevel: e.LOG_LEVEL,
    workers,
    threadsPerWorker,
    spinning: spinning(e, workers, threadsPerWorker),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    waitMax: e.WAIT_MAX,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    resultTtl: e.RESULT_TTL,
    cacheTtl: e.REDIS_CACHE_TTL,
    cacheMaxBytes: e.CACHE_MAX_BYTES,
    queueMax: e.QUEUE_MAX,
    maxBatchFiles: e.MAX_BATCH_FILES,
    shutdownGrace: e.SHUTDOWN_GRACE,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    workerInProcess: e.WORKER_IN_PROCESS,
    jobAttempts: e.JOB_ATTEMPTS,
    jobBackoffMs: e.JOB_BACKOFF_MS,
    jobLockMs: e.JOB_LOCK_MS,
    jobStalledIntervalMs: e.JOB_STALLED_INTERVAL_MS,
    webhookSecret: e.WEBHOOK_SECRET,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    webhookAttempts: e.WEBHOOK_ATTEMPTS,
    webhookBackoffMs: e.WEBHOOK_BACKOFF_MS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    metricsEnabled: e.METRICS_ENABLED,
    metricsPort: e.METRICS_PORT,
    apiKeyHashes,
    apiKeysOpen: { health: open.has('health'), metrics: open.has('metrics') },
  };
}

/**
 * The accepted keys as sha256 hex digests: API_KEYS (comma-separated, plain) and API_KEYS_FILE
 * (one per line, plain or `sha256:<hex>`; blank lines and `#` comments skipped). Only digests are
 * kept, so a key never sits in memory or in a job record in the clear.
 */
function readApiKeys(list: string, file: string): string[] {
  const entries = list
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(
        `API_KEYS_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): ${file}`,
      );
    }
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    entries.push(...lines);
    if (!lines.length) throw new Error(`API_KEYS_FILE holds no key: ${file}`);
  }
  const hashes = entries.map((k, i) => {
    if (/^sha256:/i.test(k)) {
      const hex = k.slice(7).toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(hex))
        throw new Error(`API key entry ${i + 1}: sha256: must be followed by 64 hex digits`);
      return hex;
    }
    if (k.length < 16) throw new Error(`API keys must be at least 16 characters (entry ${i + 1} has ${k.length})`);
    return createHash('sha256').update(k).digest('hex');
  });
  return [...new Set(hashes)];
}
