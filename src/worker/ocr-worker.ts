// Piscina task file. The default export is a promise (Piscina's async-load pattern): the engine is
// loaded once per thread, then every task reuses it. Plain data in, plain data out; expected
// failures come back as { ok: false, code, message } because thrown errors lose `code` here.
import { workerData } from 'node:worker_threads';

import { ApiError } from '../errors.js';
import { createEngine } from '../native/engine.js';
import type { EngineInfo, ImageTask, InfoTask, PageResult, WorkerSettings } from './tasks.js';

const settings = workerData as WorkerSettings;

export default (async () => {
  const engine = await createEngine({
    model: settings.model || undefined,
    modelsDir: settings.modelsDir || undefined,
    defaults: { useClassifier: settings.useClassifier },
    lang: settings.lang,
    executionProvider: settings.useGpu ? 'cuda' : 'cpu',
    intraOpThreads: settings.threadsPerWorker,
  });

  return async function run(task: ImageTask | InfoTask): Promise<PageResult | EngineInfo> {
    if (task.type === 'info') {
      return { ok: true, modelSet: engine.modelSet, executionProvider: engine.executionProvider, hasClassifier: engine.hasClassifier };
    }
    const start = performance.now();
    try {
      const { width, height } = task;
      const { lines, timings } = await engine.recognize({ data: task.data, width, height, channels: task.channels });
      return { ok: true, lines, width, height, ms: performance.now() - start, timings };
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, code: err.code, message: err.message };
      if (err instanceof TypeError || err instanceof RangeError) {
        return { ok: false, code: 'undecodable', message: `The page could not be processed: ${err.message}` };
      }
      return { ok: false, code: 'ocr_failed', message: `OCR failed on this page: ${err instanceof Error ? err.message : String(err)}` };
    }
  };
})();
