// Piscina task file. The default export is a promise (Piscina's async-load pattern): the default
// engine is loaded once per thread, then every task reuses it; another model set (a request's
// `lang`) is loaded on first use and kept (native sessions are shared per process). The page's
// language post-processing (src/lang: accents, punctuation) runs after, on the language thread
// (lang-thread.ts), so this thread goes on to its next page. Plain data in, plain data out;
// expected failures come back as { ok: false, code, message } because thrown errors lose `code`.
import { workerData } from 'node:worker_threads';

import { decodeBmp } from '../image/bmp.js';
import { cyrillicSet, readAutoScript } from '../lang/auto-script.js';
import { type Engine, createEngine } from '../native/engine.js';
import { failureOf } from '../threads/failure.js';
import type { BmpTask, EngineInfo, EngineResult, ImageTask, InfoTask, WorkerSettings } from './tasks.js';

const settings = workerData as WorkerSettings;

const engines = new Map<string, Promise<Engine>>();
function engineFor(modelSet: string): Promise<Engine> {
  let e = engines.get(modelSet);
  if (!e) {
    e = createEngine({
      model: modelSet,
      modelsDir: settings.modelsDir || undefined,
      // On a GPU recognition is batched 64 lines at a time (GPU.md: 0.30 ms a line against 2.8 ms alone).
      defaults: {
        useClassifier: settings.useClassifier,
        ...(settings.useGpu ? { recBatchSize: 64, recBatchWidth: 0, recBucketWidth: 64 } : {}),
      },
      executionProvider: settings.useGpu ? 'cuda' : 'cpu',
      deviceId: settings.useGpu ? settings.gpuDevice : 0,
      intraOpThreads: settings.threadsPerWorker,
      intraOpSpinning: settings.spinning,
    });
    engines.set(modelSet, e);
    e.catch(() => engines.delete(modelSet)); // a failed load is retried by the next task
  }
  return e;
}

export default (async () => {
  // OCR_LANG and its model set, resolved once on the main thread for every thread.
  const defaults = settings.defaultLang;
  const engine = await engineFor(defaults.modelSet);

  return async function run(task: ImageTask | BmpTask | InfoTask): Promise<EngineResult | EngineInfo> {
    if (task.type === 'info') {
      return {
        ok: true,
        modelSet: engine.modelSet,
        executionProvider: engine.executionProvider,
        hasClassifier: engine.hasClassifier,
        gpuDevice: settings.useGpu ? settings.gpuDevice : null,
      };
    }
    const start = performance.now();
    try {
      const image = task.type === 'bmp' ? bmpImage(task) : task;
      const { width, height } = image;
      const lang = task.lang ?? defaults;
      const e = await engineFor(lang.modelSet);
      const opts = task.orientation === undefined ? undefined : { orientation: task.orientation };
      const raw = { data: image.data, width, height, channels: image.channels };
      // lang=auto on the default set: a Cyrillic page is read again with the Cyrillic set (src/lang/auto-script.ts).
      const auto = lang.lang === 'auto' && !settings.model && lang.modelSet === defaults.modelSet;
      const { lines, timings, rotation, rulings, modelSet } = await readAutoScript(
        e,
        auto ? cyrillicEngine : undefined,
        raw,
        opts,
      );
      const post = { lang: lang.lang, diacritics: lang.diacritics, modelSet };
      return {
        ok: true,
        lines,
        width,
        height,
        ms: performance.now() - start,
        timings,
        modelSet,
        rotation,
        rulings,
        post,
      };
    } catch (err) {
      // TypeError and RangeError come from reading a malformed image; anything else is the engine's.
      return err instanceof TypeError || err instanceof RangeError
        ? failureOf(err, 'undecodable', { describe: (d) => `The page could not be processed: ${d}` })
        : failureOf(err, 'ocr_failed', { describe: (d) => `OCR failed on this page: ${d}` });
    }
  };
})();

/** The Cyrillic set's engine, when that set is installed (looked up only for a page that needs it). */
async function cyrillicEngine(): Promise<Engine | undefined> {
  const set = cyrillicSet(settings.modelsDir || undefined);
  return set ? engineFor(set) : undefined;
}

/** Our BMP reader runs here, in the worker, not on the API's event loop. Throws ApiError (422) for a bad file. */
function bmpImage(task: BmpTask): ImageTask {
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  const bmp = decodeBmp(bytes, task.limits);
  return { type: 'image', data: bmp.data, width: bmp.width, height: bmp.height, channels: 3 };
}
