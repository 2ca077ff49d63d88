// A page's embedded text and whether it is usable (src/pdf/text-check.ts), read on the render
// thread: the lines in the pixel frame the page would be rendered in at `dpi` (within the pixel
// budget), so a page answered from its text and one answered by OCR have the same frame.
import type { OcrLine } from '../native/engine.js';
import { ApiError } from '../errors.js';
import type { PdfTextMode, TextLayer } from '../jobs/types.js';
import { type PdfDocument, type RenderedPage, fittingDpi, openPdf, pagePixels } from './render.js';
import { CHECK_DPI, MAX_UNCOVERED_SHARE, type TextVerdict, textReadable, uncoveredInk } from './text-check.js';
import { type TextModule, charsToLines, pageChars, pagePictures } from './text-layer.js';

export interface PageTextRead {
  verdict: TextVerdict;
  /** Set when the text is usable. */
  lines?: OcrLine[];
  width: number;
  height: number;
  dpi: number;
}

/**
 * Reads page `index` (0-based) of `doc`: its characters, the readability check, then (only for
 * text that passed, on a page with pictures) a render at CHECK_DPI to see whether the text covers
 * the pictures' ink.
 * Throws ApiError for a page that cannot be loaded.
 */
export async function readPageText(
  doc: PdfDocument,
  index: number,
  dpi: number,
  maxPixels = Number.POSITIVE_INFINITY,
): Promise<PageTextRead> {
  const size = doc.pageSize(index);
  const used = fittingDpi(size.width, size.height, dpi, maxPixels);
  if (used < 1)
    throw new ApiError(
      'page_too_large',
      `Page ${index + 1} does not fit MAX_PDF_PAGE_PIXELS (${maxPixels}) at any dpi`,
    );
  const { width, height } = pagePixels(size.width, size.height, used);
  if (width < 1 || height < 1)
    throw new ApiError('undecodable', `Page ${index + 1} has an empty size (${size.width}x${size.height} pt)`);
  const { doc: lib, module } = doc.raw;
  const page = lib.getPage(index); // loaded here; render() below (or the close) releases it
  const handle = (page as unknown as { pageIdx: number }).pageIdx;
  const m = module as TextModule & { _FPDF_ClosePage(p: number): void };
  if (!handle) throw new ApiError('undecodable', `Page ${index + 1} of the PDF cannot be read`);
  let chars;
  let pictures;
  try {
    chars = pageChars(m, handle, width, height);
    pictures = pagePictures(m, handle, width, height);
  } catch (err) {
    m._FPDF_ClosePage(handle);
    throw err;
  }
  const base = { width, height, dpi: used };
  const readable = textReadable(chars);
  if (!readable.usable) {
    m._FPDF_ClosePage(handle);
    return { verdict: readable, ...base };
  }
  const lines = () => charsToLines(chars, width, height);
  if (!pictures.length) {
    m._FPDF_ClosePage(handle);
    return { verdict: { usable: true }, lines: lines(), ...base };
  }
  const scale = CHECK_DPI / used;
  const r = await page.render({ scale: CHECK_DPI / 72, colorSpace: 'Gray', render: 'bitmap' });
  if (uncoveredInk(r.data, r.width, r.height, chars, pictures, scale) > MAX_UNCOVERED_SHARE)
    return { verdict: { usable: false, reason: 'uncovered' }, ...base };
  return { verdict: { usable: true }, lines: lines(), ...base };
}

/**
 * What `pdfPages` yields per page: the page's own text (`lines`), or its pixels to OCR (with `textLayer` when the page
 * has text that was not used).
 */
export type PdfPageRead =
  | ({ page: number; lines: OcrLine[] } & Omit<PageTextRead, 'verdict' | 'lines'>)
  | (RenderedPage & { page: number; textLayer?: TextLayer });

/**
 * The CLI's page loop (in this thread): each page of `pages` (0-based) as its text or its render, by `mode` (see
 * PdfTextMode).
 */
export async function* pdfPages(
  bytes: Uint8Array,
  dpi: number,
  pages: number[],
  mode: PdfTextMode,
): AsyncGenerator<PdfPageRead> {
  const doc = await openPdf(bytes);
  try {
    for (const i of pages) {
      let textLayer: TextLayer | undefined;
      if (mode !== 'force') {
        const read = await readPageText(doc, i, dpi);
        if (read.lines && mode === 'auto') {
          yield { page: i + 1, lines: read.lines, width: read.width, height: read.height, dpi: read.dpi };
          continue;
        }
        if (read.verdict.usable) textLayer = 'usable';
        else if (read.verdict.reason !== 'none') textLayer = 'unusable';
      }
      yield { ...(await doc.renderPage(i, dpi)), page: i + 1, ...(textLayer && { textLayer }) };
    }
  } finally {
    doc.close();
  }
}
