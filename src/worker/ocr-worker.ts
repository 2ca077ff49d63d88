// Piscina task file. The default export is a promise (Piscina's async-load pattern): the engine is
// loaded once per thread, then every task reuses it. Plain data in, plain data out; expected
// failures come back as { ok: false, code, message } because thrown errors lose `code` here.
import { workerData } from 'node:worker_threads';

import { ApiError } from '../errors.js';
import { decodeBmp } from '../image/bmp.js';
import { createEngine } from '../native/engine.js';
import type { BmpTask, EngineInfo, ImageTask, InfoTask, PageResult, WorkerSettings } from './tasks.js';

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

  return async function run(task: ImageTask | BmpTask | InfoTask): Promise<PageResult | EngineInfo> {
    if (task.type === 'info') {
      return { ok: true, modelSet: engine.modelSet, executionProvider: engine.executionProvider, hasClassifier: engine.hasClassifier };
    }
    const start = performance.now();
    try {
      const image = task.type === 'bmp' ? bmpImage(task) : task;
      const { width, height } = image;
      const { lines, timings } = await engine.recognize({ data: image.data, width, height, channels: image.channels });
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

/** Our BMP reader runs here, in the worker, not on the API's event loop. Throws ApiError (422) for a bad file. */
function bmpImage(task: BmpTask): ImageTask {
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  const bmp = decodeBmp(bytes, task.limits);
  return { type: 'image', data: bmp.data, width: bmp.width, height: bmp.height, channels: 3 };
}
