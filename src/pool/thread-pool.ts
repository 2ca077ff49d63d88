// The OCR pool of a process that runs the engine: Piscina threads. Threads × ORT intra-op threads
// is the CPU budget (OCR_WORKERS × OCR_THREADS_PER_WORKER). Pixel buffers are moved into the
// workers, never copied. One more thread does every page's language post-processing after its
// engine run, and one renders PDF pages.
import type { Piscina } from 'piscina';

import type { Config } from '../config.js';
import { type LanguageChoice, resolveLanguage } from '../lang/resolve.js';
import type { LanguageStep, LanguageStepResult } from '../lang/step.js';
import { RenderThread } from '../pdf/render-thread.js';
import { failure, failureOf } from '../threads/failure.js';
import type { OcrPool, PoolStats } from './ocr-pool.js';
import { languageThread, ocrThreads } from './piscina.js';
import { Slots } from './slots.js';
import type {
  BmpTask,
  EngineInfo,
  EngineResult,
  ImageTask,
  InfoTask,
  OcrTask,
  PageResult,
  PdfPageTask,
  RenderResult,
  WorkerSettings,
} from './tasks.js';

type PoolConfig = Pick<
  Config,
  | 'workers'
  | 'threadsPerWorker'
  | 'spinning'
  | 'model'
  | 'modelsDir'
  | 'useClassifier'
  | 'lang'
  | 'restoreDiacritics'
  | 'useGpu'
  | 'gpuDevice'
> &
  Partial<Pick<Config, 'pageTimeout' | 'pdfRenderMemoryMb'>>;

export class ThreadPool implements OcrPool {
  readonly #pool: Piscina;
  /**
   * OCR_LANG with the model set that reads it, resolved here once for every thread: the language
   * of a page whose task names none (OCR threads: which engine; embedded text: which language).
   */
  readonly #defaultLang: LanguageChoice;
  /**
   * One thread renders PDF pages for all OCR workers: one PDFium heap, one copy of the document
   * in it, whatever OCR_WORKERS is. It ends after a minute without work, and its heap with it, and
   * is replaced at once after PDFium failed or a page ran past PAGE_TIMEOUT.
   */
  readonly render: RenderThread;
  /**
   * One thread post-processes every page's text (language, accents, punctuation) once its OCR
   * thread is done with it: the OCR thread starts its next page meanwhile, instead of waiting on
   * a dictionary lookup or load (up to 0.9 s), and the dictionaries are held once per process.
   */
  readonly #lang: Piscina;
  readonly #slots: Slots;
  readonly #threadsPerWorker: number;
  readonly #spinning: boolean;
  /** Why a thread could not load its engine (Piscina's 'error' event), for start()'s message. */
  #loadError: Error | undefined;
  readonly #pageTimeoutMs: number;
  #active = 0;
  /** When a page last finished (any outcome), or the pool last went from idle to busy. */
  #lastProgress = Date.now();
  info: EngineInfo | undefined;

  /** Throws when OCR_LANG's model set is not installed (the engine could not load it). */
  constructor(config: PoolConfig) {
    this.#defaultLang = defaultLanguage(config);
    const settings: WorkerSettings = {
      model: config.model,
      modelsDir: config.modelsDir,
      useClassifier: config.useClassifier,
      defaultLang: this.#defaultLang,
      threadsPerWorker: config.threadsPerWorker,
      spinning: config.spinning,
      useGpu: config.useGpu,
      gpuDevice: config.gpuDevice,
    };
    this.#threadsPerWorker = config.threadsPerWorker;
    this.#spinning = config.spinning;
    this.#pageTimeoutMs = (config.pageTimeout ?? 120) * 1000;
    this.#slots = new Slots(config.workers);
    const loadError = (err: Error) => {
      this.#loadError = err;
    };
    this.#pool = ocrThreads(settings, config.workers, loadError);
    this.#lang = languageThread(this.#defaultLang, loadError);
    this.render = new RenderThread({ maxMemoryBytes: (config.pdfRenderMemoryMb ?? 1024) * 2 ** 20 });
  }

  /** Loads the models (one task reaches one thread; the others load theirs as they start). */
  async start(): Promise<EngineInfo> {
    try {
      this.info = (await this.#pool.run({ type: 'info' } satisfies OcrTask)) as EngineInfo;
      // The language thread is ready too (OCR_LANG's dictionary loaded) before the service is.
      await this.#lang.run({
        lines: [],
        lang: 'en',
        diacritics: false,
        modelSet: this.info.modelSet,
      } satisfies LanguageStep);
    } catch (err) {
      throw engineLoadError(this.#loadError ?? err);
    }
    return this.info;
  }

  /**
   * Runs one page. An image task's pixel buffer is transferred: the caller must not read it again.
   * Resolves with the worker's plain-data result (a page over PAGE_TIMEOUT is a failed page: its
   * thread is replaced); rejects only for bugs or an abort of `signal` (the job's).
   */
  async run(task: OcrTask, signal?: AbortSignal): Promise<PageResult> {
    if (this.#active++ === 0) this.#lastProgress = Date.now();
    try {
      return await this.#run(task, signal);
    } finally {
      this.#active--;
      this.#lastProgress = Date.now();
    }
  }

  /**
   * Milliseconds the pool has had pages to do without finishing one (0 when idle): past
   * STALL_TIMEOUT its threads are taken as wedged (/health/alive). PAGE_TIMEOUT ends a page that
   * runs too long (a finish, as a failure), so this grows only when that fails too.
   */
  stalledMs(now = Date.now()): number {
    return this.#active > 0 ? now - this.#lastProgress : 0;
  }

  async #run(task: OcrTask, signal?: AbortSignal): Promise<PageResult> {
    if (task.type !== 'pdf-page') return this.#recognize(task, signal);
    const page = await this.render.render(task, this.#pageTimeoutMs, signal);
    if (!page.ok) return page;
    if ('lines' in page) return this.#embedded(page, task, signal);
    const image: ImageTask = {
      type: 'image',
      data: page.data,
      width: page.width,
      height: page.height,
      channels: 1,
      lang: task.lang,
      orientation: task.orientation,
    };
    const result = await this.#recognize(image, signal, task.page + 1);
    if (!result.ok) return result;
    const read = {
      ...result,
      dpi: page.dpi,
      renderMs: page.renderMs,
      ms: result.ms + page.renderMs,
      source: 'ocr' as const,
    };
    return page.textLayer ? { ...read, textLayer: page.textLayer } : read;
  }

  /**
   * A page answered from its embedded text: no engine; the language thread only detects its
   * language (no fix-ups: the text is the file's).
   */
  async #embedded(
    page: Extract<RenderResult, { lines: unknown }>,
    task: PdfPageTask,
    signal?: AbortSignal,
  ): Promise<PageResult> {
    const modelSet = task.lang?.modelSet ?? this.info?.modelSet ?? '';
    const post: LanguageStep = {
      lines: page.lines,
      lang: task.lang?.lang ?? this.#defaultLang.lang,
      diacritics: false,
      modelSet,
      punctuation: false,
    };
    let language: string | undefined;
    let langMs = 0;
    try {
      const r = (await this.#lang.run(post, { signal })) as LanguageStepResult;
      language = r.language;
      langMs = r.ms;
    } catch (err) {
      if (signal?.aborted) throw err;
    }
    const { lines, width, height, dpi, renderMs } = page;
    return {
      ok: true,
      lines,
      width,
      height,
      dpi,
      renderMs,
      ms: renderMs + langMs,
      source: 'pdf',
      ...(language && { language }),
    };
  }

  async #recognize(
    task: ImageTask | BmpTask | InfoTask,
    signal?: AbortSignal,
    pageNumber?: number,
  ): Promise<PageResult> {
    const page = await this.#engine(task, signal, pageNumber);
    if (!page.ok) return page;
    const { post, ...rest } = page;
    let text: LanguageStepResult;
    try {
      text = (await this.#lang.run({ lines: rest.lines, ...post } satisfies LanguageStep, {
        signal,
      })) as LanguageStepResult;
    } catch (err) {
      if (signal?.aborted) throw err;
      // As when it ran in the OCR thread: this page fails, the job and the other pages go on.
      return failureOf(err, 'ocr_failed', { describe: (d) => `OCR failed on this page: ${d}` });
    }
    return { ...rest, lines: text.lines, language: text.language, ms: rest.ms + text.ms };
  }

  async #engine(
    task: ImageTask | BmpTask | InfoTask,
    signal?: AbortSignal,
    pageNumber?: number,
  ): Promise<EngineResult> {
    const release = await this.#slots.acquire(signal);
    const timeout = AbortSignal.timeout(this.#pageTimeoutMs);
    try {
      const transferList = task.type === 'image' ? [task.data.buffer as ArrayBuffer] : undefined;
      // Aborting a running task ends its thread (Piscina starts a new one): native work cannot be
      // interrupted otherwise.
      return (await this.#pool.run(task, {
        transferList,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      })) as EngineResult;
    } catch (err) {
      if (timeout.aborted && !signal?.aborted) {
        const which = pageNumber ? `Page ${pageNumber}` : 'The page';
        const limit = `PAGE_TIMEOUT (${this.#pageTimeoutMs / 1000} s)`;
        return failure('timeout', `${which} took longer than ${limit} to recognize`);
      }
      throw err;
    } finally {
      release();
    }
  }

  /** Renders one PDF page to gray pixels on the render thread, without OCR (page previews). */
  renderPage(task: PdfPageTask, signal?: AbortSignal): Promise<RenderResult> {
    return this.render.render(task, this.#pageTimeoutMs, signal);
  }

  stats(): PoolStats {
    return {
      workers: this.#pool.threads.length,
      threadsPerWorker: this.#threadsPerWorker,
      spinning: this.#spinning,
      queued: this.#pool.queueSize + this.#slots.waiting,
      utilization: this.#pool.utilization,
      completed: this.#pool.completed,
      active: this.#active,
    };
  }

  /** Ends the threads; with `force`, tasks still running are abandoned (shutdown past its grace). */
  async close(force = false): Promise<void> {
    await Promise.all([this.#pool.close({ force }), this.#lang.close({ force }), this.render.close()]);
  }
}

/** OCR_LANG / OCR_MODEL decide the default set the same way a request's `lang` does. */
function defaultLanguage(config: PoolConfig): LanguageChoice {
  try {
    const { lang, modelSet, diacritics } = resolveLanguage({}, config);
    return { lang, modelSet, diacritics };
  } catch (err) {
    throw engineLoadError(err);
  }
}

/** Why the pool cannot serve, in the words start() has always used (the service's start-up log). */
function engineLoadError(cause: unknown): Error {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new Error(`the OCR engine could not be loaded: ${why}`, { cause });
}
