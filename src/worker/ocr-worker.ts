// Piscina task file. The default export is a promise (Piscina's async-load pattern): the engine is
// loaded once per thread, then every task reuses it. Plain data in, plain data out; expected
// failures come back as { ok: false, code, message } because thrown errors lose `code` here.
import { workerData } from 'node:worker_threads';

import { ApiError } from '../errors.js';
import { createEngine } from '../native/engine.js';
import { type PdfDocument, openPdf } from '../pdf/render.js';
import type { EngineInfo, OcrTask, PageResult, WorkerSettings } from './tasks.js';

const settings = workerData as WorkerSettings;

// One open document per thread: pages of one PDF usually arrive back to back.
let openDoc: { key: string; doc: PdfDocument } | undefined;
async function documentFor(key: string, bytes: Uint8Array): Promise<PdfDocument> {
  if (openDoc?.key === key) return openDoc.doc;
  openDoc?.doc.close();
  openDoc = undefined;
  openDoc = { key, doc: await openPdf(bytes) };
  return openDoc.doc;
}

export default (async () => {
  const engine = await createEngine({
    model: settings.model || undefined,
    modelsDir: settings.modelsDir || undefined,
    defaults: { useClassifier: settings.useClassifier },
    lang: settings.lang,
    executionProvider: settings.useGpu ? 'cuda' : 'cpu',
    intraOpThreads: settings.threadsPerWorker,
  });

  return async function run(task: OcrTask): Promise<PageResult | EngineInfo> {
    if (task.type === 'info') {
      return { ok: true, modelSet: engine.modelSet, executionProvider: engine.executionProvider, hasClassifier: engine.hasClassifier };
    }
    const start = performance.now();
    try {
      let image;
      let dpi: number | undefined;
      let renderMs: number | undefined;
      if (task.type === 'image') {
        image = task;
      } else {
        const doc = await documentFor(task.docKey, task.pdf);
        image = await doc.renderPage(task.page, task.dpi, task.maxPixels);
        dpi = image.dpi;
        renderMs = performance.now() - start;
      }
      const { width, height } = image;
      const { lines } = await engine.recognize({ data: image.data, width, height, channels: image.channels });
      image = undefined; // the page's pixels go before the next task arrives
      const result: PageResult = { ok: true, lines, width, height, ms: performance.now() - start };
      if (dpi !== undefined) Object.assign(result, { dpi, renderMs });
      return result;
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, code: err.code, message: err.message };
      if (err instanceof TypeError || err instanceof RangeError) {
        return { ok: false, code: 'undecodable', message: `The page could not be processed: ${err.message}` };
      }
      return { ok: false, code: 'ocr_failed', message: `OCR failed on this page: ${err instanceof Error ? err.message : String(err)}` };
    }
  };
})();
