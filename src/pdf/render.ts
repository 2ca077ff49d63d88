// PDF pages to pixels with PDFium (WebAssembly). One library instance per thread, loaded on first use.
// Streaming: a document is opened once per worker and its pages are rendered one at a time; each
// page's bitmap lives in PDFium's WebAssembly heap only while it is drawn (PDFium frees it and
// closes the page before the next), and the copy handed to the engine is released after the page.
// The WebAssembly heap grows to the largest page once and is reused, so memory is flat in page count.
import type { PDFiumDocument, PDFiumLibrary } from '@hyzyla/pdfium';

import { ApiError } from '../errors.js';
import { initPdfium } from './pdfium.js';

let library: Promise<PDFiumLibrary> | undefined;
let memoryLimit: number | undefined;
/** Bounds this thread's PDFium heap (bytes); call before the first document. */
export function limitPdfiumMemory(bytes: number): void {
  memoryLimit = bytes;
}
function pdfium(): Promise<PDFiumLibrary> {
  library ??= initPdfium(memoryLimit);
  return library;
}

export interface RenderedPage {
  /** Gray pixels, one byte each; owns its ArrayBuffer. */
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1;
  /** The dpi actually used: the requested one, or the highest that fits the pixel budget. */
  dpi: number;
}

export interface PdfInfo {
  pageCount: number;
}

/** The parts of the emscripten module @hyzyla/pdfium does not wrap (page size without loading the page, security). */
interface PdfiumModule {
  _FPDF_GetPageSizeByIndex(doc: number, index: number, width: number, height: number): number;
  _FPDF_GetSecurityHandlerRevision(doc: number): number;
  HEAPF64: Float64Array;
  wasmExports: { malloc(n: number): number; free(p: number): void };
}

const ENCRYPTED =
  'The PDF is encrypted (password-protected or with permissions set); remove the encryption and send it again';

/** Pixels of a page of `w` x `h` points at `dpi`, as PDFium sizes the bitmap (points floored, then scaled). */
export function pagePixels(w: number, h: number, dpi: number): { width: number; height: number } {
  return { width: Math.floor(Math.floor(w) * (dpi / 72)), height: Math.floor(Math.floor(h) * (dpi / 72)) };
}

/** The highest whole dpi ≤ `dpi` at which a page of `w` x `h` points stays within `maxPixels`; 0 if none. */
export function fittingDpi(w: number, h: number, dpi: number, maxPixels: number): number {
  const fits = (d: number) => {
    const p = pagePixels(w, h, d);
    return p.width * p.height <= maxPixels;
  };
  if (fits(dpi)) return dpi;
  let d = Math.min(dpi - 1, Math.floor(72 * Math.sqrt(maxPixels / Math.max(1, Math.floor(w) * Math.floor(h)))));
  while (d > 0 && !fits(d)) d--;
  return d;
}

export class PdfDocument {
  readonly #doc: PDFiumDocument;
  readonly #module: PdfiumModule;
  readonly #index: number;
  constructor(doc: PDFiumDocument) {
    this.#doc = doc;
    const raw = doc as unknown as { module: PdfiumModule; documentIdx: number };
    this.#module = raw.module;
    this.#index = raw.documentIdx;
  }
  get pageCount(): number {
    return this.#doc.getPageCount();
  }
  /** True when the file has a security handler (encryption), even with an empty user password. */
  get encrypted(): boolean {
    return this.#module._FPDF_GetSecurityHandlerRevision(this.#index) !== -1;
  }
  /** Page size in points (1/72 inch), read without loading the page. */
  pageSize(index: number): { width: number; height: number } {
    const m = this.#module;
    const ptr = m.wasmExports.malloc(16);
    try {
      if (!m._FPDF_GetPageSizeByIndex(this.#index, index, ptr, ptr + 8))
        throw new ApiError('undecodable', `Page ${index + 1} of the PDF cannot be read`);
      return { width: m.HEAPF64[ptr >> 3], height: m.HEAPF64[(ptr >> 3) + 1] };
    } finally {
      m.wasmExports.free(ptr);
    }
  }
  /**
   * Renders page `index` (0-based) at `dpi`, or at the highest dpi that keeps the bitmap within
   * `maxPixels`; pixel coordinates are those of this render. Throws ApiError for a page that
   * cannot be rendered.
   */
  async renderPage(index: number, dpi: number, maxPixels = Number.POSITIVE_INFINITY): Promise<RenderedPage> {
    const size = this.pageSize(index);
    const used = fittingDpi(size.width, size.height, dpi, maxPixels);
    if (used < 1)
      throw new ApiError(
        'page_too_large',
        `Page ${index + 1} does not fit MAX_PDF_PAGE_PIXELS (${maxPixels}) at any dpi`,
      );
    const px = pagePixels(size.width, size.height, used);
    if (px.width < 1 || px.height < 1)
      throw new ApiError('undecodable', `Page ${index + 1} has an empty size (${size.width}x${size.height} pt)`);
    const r = await this.#doc.getPage(index).render({ scale: used / 72, colorSpace: 'Gray', render: 'bitmap' });
    return { data: r.data, width: r.width, height: r.height, channels: 1, dpi: used };
  }
  /** The library's document and its emscripten module, for what the package does not wrap (src/pdf/page-text.ts). */
  get raw(): { doc: PDFiumDocument; module: unknown } {
    return { doc: this.#doc, module: this.#module };
  }
  close(): void {
    this.#doc.destroy();
  }
}

/**
 * Opens a PDF held in memory. Throws ApiError('undecodable') for a broken, truncated or encrypted
 * file (the message says "encrypted" for the latter).
 */
export async function openPdf(bytes: Uint8Array, library?: PDFiumLibrary): Promise<PdfDocument> {
  const lib = library ?? (await pdfium());
  let doc: PdfDocument;
  try {
    doc = new PdfDocument(await lib.loadDocument(bytes));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    if (/password|security/i.test(detail)) throw new ApiError('undecodable', ENCRYPTED);
    throw new ApiError('undecodable', `Could not open the PDF (corrupt or truncated): ${detail}`);
  }
  if (doc.encrypted) {
    doc.close();
    throw new ApiError('undecodable', ENCRYPTED);
  }
  return doc;
}

/**
 * Page count, checked against MAX_PDF_PAGES, in this thread. Pages are not loaded here: one page
 * that PDFium cannot read fails alone, in the job, not the whole document. The server runs this
 * in a short-lived thread (probe.ts) so that the WebAssembly heap holding the document goes with it.
 */
export async function probePdfHere(
  bytes: Uint8Array,
  limits: { maxPages: number; maxMemoryBytes?: number },
): Promise<PdfInfo> {
  const lib = await initPdfium(limits.maxMemoryBytes);
  let doc: PdfDocument;
  try {
    doc = await openPdf(bytes, lib);
  } catch (err) {
    lib.destroy();
    throw err;
  }
  try {
    const pageCount = doc.pageCount;
    if (pageCount < 1) throw new ApiError('undecodable', 'The PDF has no pages (corrupt or truncated)');
    if (pageCount > limits.maxPages) {
      throw new ApiError(
        'too_many_pages',
        `The PDF has ${pageCount} pages; the limit is ${limits.maxPages} pages (MAX_PDF_PAGES)`,
      );
    }
    return { pageCount };
  } finally {
    doc.close();
    lib.destroy();
  }
}

/** Renders pages one after the other; the caller owns each page's pixels. */
export async function* renderPages(
  bytes: Uint8Array,
  dpi: number,
  pages?: number[],
  maxPixels?: number,
): AsyncGenerator<RenderedPage & { page: number }> {
  const doc = await openPdf(bytes);
  try {
    const list = pages ?? Array.from({ length: doc.pageCount }, (_, i) => i);
    for (const i of list) yield { ...(await doc.renderPage(i, dpi, maxPixels)), page: i + 1 };
  } finally {
    doc.close();
  }
}
