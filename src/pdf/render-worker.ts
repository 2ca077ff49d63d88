// Entry of the render thread (render-thread.ts): PDF pages to gray pixels with PDFium.
// One thread per process renders for every OCR worker, so the process holds one PDFium heap with
// one copy of the document, however many OCR workers it runs. The pixels are moved out, not
// copied. PDFium's heap is bounded (PDF_RENDER_MEMORY_MB); when PDFium fails in a way that may
// leave its instance broken (abort(), allocation failure), the answer says `fatal` and the parent
// ends this thread, which returns the whole WebAssembly memory at once.
import { parentPort, workerData } from 'node:worker_threads';

import { ApiError } from '../errors.js';
import { failureOf } from '../threads/failure.js';
import type { TextLayer } from '../jobs/types.js';
import type { PdfPageTask, RenderResult } from '../pool/tasks.js';
import { readPageText } from './page-text.js';
import { type PdfDocument, limitPdfiumMemory, openPdf } from './render.js';

const { maxMemoryBytes } = workerData as { maxMemoryBytes: number };
limitPdfiumMemory(maxMemoryBytes);

// One open document: pages of one PDF arrive back to back.
let openDoc: { key: string; doc: PdfDocument } | undefined;
async function documentFor(key: string, bytes: Uint8Array): Promise<PdfDocument> {
  if (openDoc?.key === key) return openDoc.doc;
  openDoc?.doc.close();
  openDoc = undefined;
  openDoc = { key, doc: await openPdf(bytes) };
  return openDoc.doc;
}

export type RenderAnswer = { id: number; result: RenderResult; fatal?: boolean };

async function render(task: PdfPageTask): Promise<{ result: RenderResult; fatal?: boolean }> {
  const start = performance.now();
  try {
    const doc = await documentFor(task.docKey, task.pdf);
    // `auto` and `ocr` read the page's own text first: `auto` answers with it when usable; `ocr`
    // only notes that it was (the searchable PDF then adds no second layer over it).
    let textLayer: TextLayer | undefined;
    if (task.pdfText === 'auto' || task.pdfText === 'ocr') {
      const read = await readPageText(doc, task.page, task.dpi, task.maxPixels);
      if (read.lines && task.pdfText === 'auto') {
        return {
          result: {
            ok: true,
            lines: read.lines,
            width: read.width,
            height: read.height,
            dpi: read.dpi,
            renderMs: performance.now() - start,
          },
        };
      }
      if (read.verdict.usable) textLayer = 'usable';
      else if (read.verdict.reason !== 'none') textLayer = 'unusable';
    }
    const page = await doc.renderPage(task.page, task.dpi, task.maxPixels);
    const result: RenderResult = {
      ok: true,
      data: page.data,
      width: page.width,
      height: page.height,
      dpi: page.dpi,
      renderMs: performance.now() - start,
    };
    return { result: textLayer ? { ...result, textLayer } : result };
  } catch (err) {
    const mb = Math.round(maxMemoryBytes / 2 ** 20);
    const result = failureOf(err, 'undecodable', {
      describe: (detail) =>
        /abort|alloc|memory/i.test(detail)
          ? `Page ${task.page + 1} could not be rendered: it needs more memory than PDFium may use ` +
            `(PDF_RENDER_MEMORY_MB=${mb}) or PDFium gave up on it (${detail})`
          : `Page ${task.page + 1} could not be rendered: ${detail}`,
    });
    // An ApiError is an expected refusal; anything else may have left PDFium broken.
    return err instanceof ApiError ? { result } : { result, fatal: true };
  }
}

parentPort!.on('message', (msg: { id: number; task: PdfPageTask }) => {
  void render(msg.task).then(({ result, fatal }) => {
    const answer: RenderAnswer = { id: msg.id, result, fatal };
    parentPort!.postMessage(answer, result.ok && 'data' in result ? [result.data.buffer as ArrayBuffer] : []);
  });
});
