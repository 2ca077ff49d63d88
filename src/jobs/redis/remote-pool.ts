// The API replica of a split deployment (WORKER_IN_PROCESS=false) runs no OCR engine: the worker
// processes do. This stand-in answers the pool's questions (health, cache-key model name) without one.
import type { Config } from '../../config.js';
import { RenderThread } from '../../pdf/render-thread.js';
import type { OcrPool, PoolStats } from '../../pool/ocr-pool.js';
import type { EngineInfo, PageResult, PdfPageTask, RenderResult } from '../../pool/tasks.js';

/** The model name in cache keys of Redis mode: the same on every replica, engine or not. */
export const redisModelSet = (config: Pick<Config, 'model'>) => config.model || 'default';

type RemoteConfig = Pick<Config, 'model' | 'threadsPerWorker' | 'pdfRenderMemoryMb' | 'pageTimeout'>;

export class RemotePool implements OcrPool {
  readonly info: EngineInfo;
  readonly #config: RemoteConfig;
  // Page previews (GET /ocr/job/:id/page/:n.png) still render PDF pages here: one thread,
  // started on demand, gone after a minute without work.
  #render: RenderThread | undefined;

  constructor(config: RemoteConfig) {
    this.#config = config;
    this.info = {
      ok: true,
      modelSet: redisModelSet(config),
      executionProvider: 'remote (worker processes)',
      hasClassifier: false,
      gpuDevice: null,
    };
  }

  async start(): Promise<EngineInfo> {
    return this.info;
  }

  run(): Promise<PageResult> {
    return Promise.reject(new Error('this API replica runs no OCR engine (WORKER_IN_PROCESS=false)'));
  }

  renderPage(task: PdfPageTask, signal?: AbortSignal): Promise<RenderResult> {
    this.#render ??= new RenderThread({ maxMemoryBytes: this.#config.pdfRenderMemoryMb * 2 ** 20 });
    return this.#render.render(task, this.#config.pageTimeout * 1000, signal);
  }

  stats(): PoolStats {
    return { workers: 0, threadsPerWorker: this.#config.threadsPerWorker, queued: 0, utilization: 0, completed: 0 };
  }

  /** No OCR threads here: the workers' own /health/alive watches theirs. */
  stalledMs(): number {
    return 0;
  }

  async close(): Promise<void> {
    await this.#render?.close();
  }
}
