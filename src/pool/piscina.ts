// The Piscina pools behind ThreadPool: the OCR threads (one engine each, kept for the pool's life)
// and the one language thread, with the thread entries beside them (ocr-thread.ts, lang-thread.ts).
import { fileURLToPath } from 'node:url';

import { Piscina } from 'piscina';

import type { LanguageChoice } from '../lang/resolve.js';
import type { WorkerSettings } from './tasks.js';

const OCR_THREAD = fileURLToPath(new URL('./ocr-thread.js', import.meta.url));
const LANG_THREAD = fileURLToPath(new URL('./lang-thread.js', import.meta.url));

/**
 * `workers` OCR threads. A thread that fails to load its engine (a missing model, no CUDA
 * provider) fails the tasks sent to it and reports to `onLoadError`: without a listener Piscina's
 * 'error' event would end the process with a stack.
 */
export function ocrThreads(settings: WorkerSettings, workers: number, onLoadError: (err: Error) => void): Piscina {
  const pool = new Piscina({
    filename: OCR_THREAD,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: Number.MAX_SAFE_INTEGER,
    maxQueue: 'auto',
    workerData: settings,
  });
  pool.on('error', onLoadError);
  return pool;
}

/** The one language thread; it loads OCR_LANG's dictionary as it starts. */
export function languageThread(defaultLang: LanguageChoice, onLoadError: (err: Error) => void): Piscina {
  const pool = new Piscina({
    filename: LANG_THREAD,
    minThreads: 1,
    maxThreads: 1,
    idleTimeout: Number.MAX_SAFE_INTEGER,
    maxQueue: 'auto',
    workerData: { defaultLang } satisfies Pick<WorkerSettings, 'defaultLang'>,
  });
  pool.on('error', onLoadError);
  return pool;
}
