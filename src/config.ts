// Environment read once at start-up, validated with TypeBox; the typed Config is passed down.
// An invalid value stops the start-up with a message naming the variable. The settings themselves
// (names, bounds, defaults, docs) are listed once, in config/settings.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

import type { SettingMeta } from './config/define.js';
import { EnvSchema, type SettingFields } from './config/settings.js';
import { parseLanguages } from './lang/tesseract.js';

export { EnvSchema } from './config/settings.js';
export type Env = Static<typeof EnvSchema>;

/**
 * What the service runs with: each setting with a Config field as it is (settings.ts), with `0` or
 * empty resolved to the automatic value, and these, derived from one or more settings.
 */
export type Config = SettingFields & {
  /** TRUST_PROXY as Fastify's trustProxy: false, true, a hop count, or addresses/CIDRs. */
  trustProxy: boolean | number | string;
  /**
   * ONNX Runtime's intra-op threads spin between operators (OCR_SPINNING). auto: on when one CPU
   * worker runs several threads, where it measured 0.94x the engine time; off with several
   * workers, whose threads would take each other's cores.
   */
  spinning: boolean;
  /** Lowest accepted `dpi` (fixed). */
  minDpi: number;
  /** sha256 (hex) of each accepted API key (API_KEYS, API_KEYS_FILE); empty = no keys required. */
  apiKeyHashes: string[];
  /** Which of health and metrics stay reachable without a key when keys are on (API_KEYS_OPEN). */
  apiKeysOpen: { health: boolean; metrics: boolean };
};

export class ConfigError extends Error {}

const meta = (name: string) => EnvSchema.properties[name as keyof Env] as SettingMeta<string> & { type?: string };

function normalize(name: string, raw: string): unknown {
  const v = raw.trim();
  const setting = meta(name);
  if (setting.lowercase) {
    const l = v.toLowerCase();
    return setting.aliases?.[l] ?? l;
  }
  if (setting.type === 'boolean') {
    const l = v.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(l)) return true;
    if (['false', '0', 'no', 'off', ''].includes(l)) return false;
    return v;
  }
  if (setting.type === 'integer') return /^-?\d+$/.test(v) ? Number(v) : v;
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
 * 0.915x with 1 x 2). Each worker holds a page's tensors, but tiny's are small (docs/benchmarks.md,
 * "Speed"). On a GPU the kernels run on the device too: a worker's intra-op threads would only idle.
 */
const DEFAULT_THREADS = 1;

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
  const threadsPerWorker = e.OCR_THREADS_PER_WORKER || DEFAULT_THREADS;
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
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(EnvSchema.properties)) {
    const key = meta(name).key;
    if (key) fields[key] = e[name as keyof Env];
  }
  return {
    ...(fields as SettingFields),
    uploadFolder: e.UPLOAD_FOLDER || path.join(os.tmpdir(), 'ocr-uploads'),
    workers,
    threadsPerWorker,
    jobTimeout: e.JOB_TIMEOUT || defaultJobTimeout(Math.max(e.MAX_PDF_PAGES, e.MAX_TIFF_PAGES)),
    spinning: spinning(e, workers, threadsPerWorker),
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    minDpi: 72,
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
        { cause: err },
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
