// The Piscina pool of OCR threads. Threads × ORT intra-op threads is the CPU budget
// (OCR_WORKERS × OCR_THREADS_PER_WORKER). Pixel buffers are moved into the workers, never copied.
import { fileURLToPath } from 'node:url';

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Piscina } from 'piscina';

import type { Config } from '../config.js';
import { remotePool } from '../jobs/redis/remote-pool.js';
import type { EngineInfo, ImageTask, OcrTask, PageResult, PdfPageTask, RenderResult, WorkerSettings } from '../worker/tasks.js';

export const WORKER_FILE = fileURLToPath(new URL('../worker/ocr-worker.js', import.meta.url));
export const RENDER_FILE = fileURLToPath(new URL('../worker/render-worker.js', import.meta.url));

export interface PoolStats {
  workers: number;
  threadsPerWorker: number;
  /** Tasks waiting for a thread. */
  queued: number;
  /** 0..1 over the pool's life. */
  utilization: number;
  /** OCR tasks running or waiting in this pool right now (metrics: busy share of the threads). */
  active?: number;
  completed: number;
}

export class OcrPool {
  readonly #pool: Piscina;
  /**
   * One thread renders PDF pages for all OCR workers: one PDFium heap, one copy of the document
   * in it, whatever OCR_WORKERS is. It ends after a minute without work, and its heap with it.
   */
  readonly #render: Piscina;
  readonly #threadsPerWorker: number;
  #active = 0;
  info: EngineInfo | undefined;

  constructor(config: Pick<Config, 'workers' | 'threadsPerWorker' | 'model' | 'modelsDir' | 'useClassifier' | 'lang' | 'restoreDiacritics' | 'useGpu'>) {
    const settings: WorkerSettings = {
      model: config.model,
      modelsDir: config.modelsDir,
      useClassifier: config.useClassifier,
      lang: config.lang,
      restoreDiacritics: config.restoreDiacritics,
      threadsPerWorker: config.threadsPerWorker,
      useGpu: config.useGpu,
    };
    this.#threadsPerWorker = config.threadsPerWorker;
    this.#pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: config.workers,
      maxThreads: config.workers,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      maxQueue: 'auto',
      workerData: settings,
    });
    this.#render = new Piscina({ filename: RENDER_FILE, minThreads: 0, maxThreads: 1, idleTimeout: 60_000 });
  }

  /** Loads the models (one task reaches one thread; the others load theirs as they start). */
  async start(): Promise<EngineInfo> {
    this.info = (await this.#pool.run({ type: 'info' } satisfies OcrTask)) as EngineInfo;
    return this.info;
  }

  /**
   * Runs one page. An image task's pixel buffer is transferred: the caller must not read it again.
   * Resolves with the worker's plain-data result; rejects only for bugs or an abort.
   */
  async run(task: OcrTask, signal?: AbortSignal): Promise<PageResult> {
    this.#active++;
    try {
      return await this.#run(task, signal);
    } finally {
      this.#active--;
    }
  }

  async #run(task: OcrTask, signal?: AbortSignal): Promise<PageResult> {
    if (task.type !== 'pdf-page') {
      const transferList = task.type === 'image' ? [task.data.buffer as ArrayBuffer] : undefined;
      return this.#pool.run(task, { transferList, signal });
    }
    const page = (await this.#render.run(task, { signal })) as RenderResult;
    if (!page.ok) return page;
    const image: ImageTask = { type: 'image', data: page.data, width: page.width, height: page.height, channels: 1, lang: task.lang };
    const result = (await this.#pool.run(image, { transferList: [page.data.buffer as ArrayBuffer], signal })) as PageResult;
    return result.ok ? { ...result, dpi: page.dpi, renderMs: page.renderMs, ms: result.ms + page.renderMs } : result;
  }

  /** Renders one PDF page to gray pixels on the render thread, without OCR (page previews). */
  renderPage(task: PdfPageTask, signal?: AbortSignal): Promise<RenderResult> {
    return this.#render.run(task, { signal }) as Promise<RenderResult>;
  }

  stats(): PoolStats {
    return {
      workers: this.#pool.threads.length,
      threadsPerWorker: this.#threadsPerWorker,
      queued: this.#pool.queueSize,
      utilization: this.#pool.utilization,
      completed: this.#pool.completed,
      active: this.#active,
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.close({ force: false }), this.#render.close({ force: false })]);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    ocrPool: OcrPool;
  }
}

export default fp(
  async function ocrPoolPlugin(app: FastifyInstance, opts: { config: Config }) {
    if (opts.config.redisUrl && !opts.config.workerInProcess) {
      app.decorate('ocrPool', remotePool(opts.config)); // worker processes run the engine
      return;
    }
    const pool = new OcrPool(opts.config);
    app.decorate('ocrPool', pool);
    app.addHook('onClose', async () => {
      await pool.close();
    });
    let info: EngineInfo;
    try {
      info = await pool.start();
    } catch (err) {
      await pool.close();
      throw err;
    }
    app.log.info({ ...info, workers: opts.config.workers, threadsPerWorker: opts.config.threadsPerWorker }, 'OCR engine loaded');
  },
  { name: 'ocr-pool', fastify: '5.x' },
);
