// PDF pages to pixels with PDFium (WebAssembly). One library instance per thread, loaded on first use.
// The simplest correct approach: whole document in memory, one page rendered at a time at the
// requested dpi. A later task adds streaming and page ranges behind the same functions.
import { type PDFiumDocument, PDFiumLibrary } from '@hyzyla/pdfium';

import { ApiError } from '../errors.js';

let library: Promise<PDFiumLibrary> | undefined;
function pdfium(): Promise<PDFiumLibrary> {
  library ??= PDFiumLibrary.init();
  return library;
}

export interface RenderedPage {
  /** Gray pixels, one byte each; owns its ArrayBuffer. */
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1;
}

export interface PdfInfo {
  pageCount: number;
  /** Page sizes in points (1/72 inch). */
  sizes: { width: number; height: number }[];
}

export class PdfDocument {
  readonly #doc: PDFiumDocument;
  constructor(doc: PDFiumDocument) {
    this.#doc = doc;
  }
  get pageCount(): number {
    return this.#doc.getPageCount();
  }
  pageSize(index: number): { width: number; height: number } {
    const { originalWidth, originalHeight } = this.#doc.getPage(index).getOriginalSize();
    return { width: originalWidth, height: originalHeight };
  }
  /** Renders page `index` (0-based) at `dpi`; pixel coordinates are those of this render. */
  async renderPage(index: number, dpi: number): Promise<RenderedPage> {
    const r = await this.#doc.getPage(index).render({ scale: dpi / 72, colorSpace: 'Gray', render: 'bitmap' });
    return { data: r.data, width: r.width, height: r.height, channels: 1 };
  }
  close(): void {
    this.#doc.destroy();
  }
}

/** Opens a PDF held in memory. Throws ApiError('undecodable') for a broken or encrypted file. */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const lib = await pdfium();
  try {
    return new PdfDocument(await lib.loadDocument(bytes));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ApiError('undecodable', `Could not open the PDF: ${detail}`);
  }
}

/** Page count and sizes, checked against the limits before a job is created. */
export async function probePdf(
  bytes: Uint8Array,
  limits: { maxPages: number; maxPagePixels: number; dpi: number },
): Promise<PdfInfo> {
  const doc = await openPdf(bytes);
  try {
    const pageCount = doc.pageCount;
    if (pageCount < 1) throw new ApiError('undecodable', 'The PDF has no pages');
    if (pageCount > limits.maxPages) {
      throw new ApiError('too_many_pages', `The PDF has ${pageCount} pages; the limit is ${limits.maxPages} (MAX_PDF_PAGES)`);
    }
    const sizes: PdfInfo['sizes'] = [];
    for (let i = 0; i < pageCount; i++) {
      const s = doc.pageSize(i);
      const px = Math.ceil((s.width * limits.dpi) / 72) * Math.ceil((s.height * limits.dpi) / 72);
      if (px > limits.maxPagePixels) {
        throw new ApiError(
          'page_too_large',
          `Page ${i + 1} would be ${px} pixels at ${limits.dpi} dpi; the limit is ${limits.maxPagePixels} (MAX_PDF_PAGE_PIXELS); use a lower dpi`,
        );
      }
      sizes.push(s);
    }
    return { pageCount, sizes };
  } finally {
    doc.close();
  }
}

/** Renders pages one after the other; the caller owns each page's pixels. */
export async function* renderPages(bytes: Uint8Array, dpi: number, pages?: number[]): AsyncGenerator<RenderedPage & { page: number }> {
  const doc = await openPdf(bytes);
  try {
    const list = pages ?? Array.from({ length: doc.pageCount }, (_, i) => i);
    for (const i of list) yield { ...(await doc.renderPage(i, dpi)), page: i + 1 };
  } finally {
    doc.close();
  }
}
