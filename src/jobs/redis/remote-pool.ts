// The API replica of a split deployment (WORKER_IN_PROCESS=false) runs no OCR engine: the worker
// processes do. This stand-in answers the pool's questions (health, cache-key model name) without one.
import type { Config } from '../../config.js';
import { RenderThread } from '../../pdf/render-thread.js';
import type { OcrPool } from '../../plugins/ocr-pool.js';
import type { EngineInfo, PdfPageTask, RenderResult } from '../../pool/tasks.js';

/** The model name in cache keys of Redis mode: the same on every replica, engine or not. */
export const redisModelSet = (config: Pick<Config, 'model'>) => config.model || 'default';

export function remotePool(config: Config): OcrPool {
  const info: EngineInfo = {
    ok: true,
    modelSet: redisModelSet(config),
    executionProvider: 'remote (worker processes)',
    hasClassifier: false,
    gpuDevice: null,
  };
  // Page previews (GET /ocr/job/:id/page/:n.png) still render PDF pages here: one thread,
  // started on demand, gone after a minute without work.
  let render: RenderThread | undefined;
  const stand = {
    info,
    renderPage: (task: PdfPageTask, signal?: AbortSignal) =>
      (render ??= new RenderThread({ maxMemoryBytes: config.pdfRenderMemoryMb * 2 ** 20 })).render(
        task,
        config.pageTimeout * 1000,
        signal,
      ) as Promise<RenderResult>,
    start: async () => info,
    run: () => Promise.reject(new Error('this API replica runs no OCR engine (WORKER_IN_PROCESS=false)')),
    stats: () => ({ workers: 0, threadsPerWorker: config.threadsPerWorker, queued: 0, utilization: 0, completed: 0 }),
    stalledMs: () => 0, // no OCR threads here: the workers' own /health/alive watches theirs
    close: async () => {
      await render?.close();
    },
  };
  return stand as unknown as OcrPool;
}
