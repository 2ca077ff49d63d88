// Piscina task file of the render thread: PDF pages to gray pixels with PDFium. One thread per
// process renders for every OCR worker, so the process holds one PDFium heap with one copy of the
// document, however many OCR workers it runs. The pixels are moved out, not copied.
import { Piscina } from 'piscina';

import { ApiError } from '../errors.js';
import { type PdfDocument, openPdf } from '../pdf/render.js';
import type { PdfPageTask, RenderResult } from './tasks.js';

// One open document: pages of one PDF arrive back to back.
let openDoc: { key: string; doc: PdfDocument } | undefined;
async function documentFor(key: string, bytes: Uint8Array): Promise<PdfDocument> {
  if (openDoc?.key === key) return openDoc.doc;
  openDoc?.doc.close();
  openDoc = undefined;
  openDoc = { key, doc: await openPdf(bytes) };
  return openDoc.doc;
}

export default async function render(task: PdfPageTask): Promise<RenderResult> {
  const start = performance.now();
  try {
    const doc = await documentFor(task.docKey, task.pdf);
    const page = await doc.renderPage(task.page, task.dpi, task.maxPixels);
    const result: RenderResult = { ok: true, data: page.data, width: page.width, height: page.height, dpi: page.dpi, renderMs: performance.now() - start };
    // Piscina's movable wrapper: the caller receives `result`, its pixel buffer moved.
    const wrapper = { [Piscina.transferableSymbol]: [page.data.buffer], [Piscina.valueSymbol]: result };
    return Piscina.move(wrapper as never) as unknown as RenderResult;
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'undecodable', message: `The page could not be rendered: ${err instanceof Error ? err.message : String(err)}` };
  }
}
