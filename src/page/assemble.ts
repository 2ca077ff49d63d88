// The one page assembly, shared by the service (src/jobs/process.ts, after the pool's threads) and
// the CLI (src/page/local.ts, in its own thread): a page read by the engine and its language step,
// or answered from a PDF's own text, becomes a page record (reading order, blocks, tables), and the
// records of a file become its job output. A new page field is added here, once.
import { LANGUAGES } from '../lang/languages.js';
import { blockText, pageLayout } from '../layout/index.js';
import type { OcrLine } from '../native/engine.js';
import { findTables } from '../tables/index.js';
import type { JobOutput, PageText, PdfTextMode } from '../jobs/types.js';
import type { PageResult } from '../pool/tasks.js';

/**
 * A page's lines in reading order, grouped into blocks (src/layout), and its text: the blocks
 * one after the other, a blank line between them. `rotation`: the page's orientation, when the
 * engine decided one (boxes stay in the pixels of the image as submitted). `language`: a page in
 * an Arabic-script language reads right to left.
 */
export function laidOut(
  lines: OcrLine[],
  width?: number,
  height?: number,
  rotation?: number,
  language?: string,
  rulings?: number[][],
): Pick<PageText, 'text' | 'lines' | 'blocks' | 'tables'> {
  const rtl = !!language && LANGUAGES[language]?.script === 'arabic';
  const found = findTables({ lines, rulings, width, height, rotation });
  const layout = pageLayout({ lines, width, height, rotation, rtl, tables: found });
  return {
    text: blockText(layout),
    lines: layout.lines,
    blocks: layout.blocks,
    // A table's own lines are the page's: the record keeps its cells only.
    tables: found.map(({ lines: _, ...t }) => t),
  };
}

/**
 * Page `page` (1-based) of a file as it is stored and answered. A failed page keeps its message;
 * its text is empty. The fields come in the API's order, in the CLI's `--json` too.
 */
export function pageRecord(r: PageResult, page: number): PageText {
  if (!r.ok) return { page, text: '', lines: [], success: false, error: r.message };
  return {
    page,
    ...laidOut(r.lines, r.width, r.height, r.rotation, r.language, r.rulings),
    success: true,
    ...(r.rotation && { rotation: r.rotation }),
    ...(r.dpi !== undefined && { dpi: r.dpi }),
    ...(r.renderMs !== undefined && { render_ms: Math.round(r.renderMs), ocr_ms: Math.round(r.ms - r.renderMs) }),
    ...(r.language !== undefined && { language: r.language }),
    ...(r.language !== undefined && r.modelSet !== undefined && { model_set: r.modelSet }),
    ...(r.source && { source: r.source }),
    ...(r.textLayer && { text_layer: r.textLayer }),
    width: r.width,
    height: r.height,
  };
}

/** Multi-page results succeed when any page did; `failed_pages` lists the others. */
function pagesOutcome(pages: PageText[]): { success: boolean; failed_pages: number[] } {
  return { success: pages.some((p) => p.success), failed_pages: pages.filter((p) => !p.success).map((p) => p.page) };
}

/**
 * The output of an image file: one page's fields at the top level, or every page of a multi-page
 * TIFF/GIF under `pages`. `success` is false when no page was read (the service fails the job then).
 */
export function imageOutput(pages: PageText[]): JobOutput {
  if (pages.length === 1) {
    const { text, lines, blocks, tables, success, width, height, language, model_set, rotation } = pages[0];
    if (!success) return { kind: 'image', text: '', lines: [], success: false };
    return {
      kind: 'image',
      text,
      lines,
      blocks,
      ...(tables && { tables }),
      success: true,
      width,
      height,
      ...(language && { language, model_set }),
      ...(rotation && { rotation }),
    };
  }
  return {
    kind: 'image',
    text: pages.map((p) => p.text).join('\n\n'),
    lines: pages.flatMap((p) => p.lines),
    ...pagesOutcome(pages),
    pages,
  };
}

/** The output of a PDF: its pages read at `dpi`, each from its text or by OCR as `pdfText` says. */
export function pdfOutput(pages: PageText[], dpi: number, pdfText: PdfTextMode): JobOutput {
  return {
    kind: 'pdf',
    pages,
    full_text: pages.map((p) => p.text).join('\n\n'),
    total_pages: pages.length,
    ...pagesOutcome(pages),
    processing_dpi: dpi,
    pdf_text: pdfText,
  };
}
