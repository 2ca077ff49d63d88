// Turns one job's file into its output: decode (images, here) or render (PDF pages, in the
// workers), OCR page by page in the pool with a bounded window, assemble the text.
// Shared by every JobQueue implementation.
import { ApiError } from '../errors.js';
import { decodePages } from '../image/decode.js';
import type { ImageLimits } from '../image/limits.js';
import { LANGUAGES } from '../lang/languages.js';
import { blockText, pageLayout } from '../layout/index.js';
import { findTables } from '../tables/index.js';
import type { OcrLine } from '../native/engine.js';
import { inSharedMemory } from '../pdf/shared.js';
import type { JobMetrics } from '../metrics/ocr-metrics.js';
import type { OcrPool } from '../pool/ocr-pool.js';
import type { OcrTask, PageResult, TaskFailure } from '../pool/tasks.js';
import { type PackedPage, packPage, unpackPages } from './packed.js';
import type { JobInput, JobOutput, PageText } from './types.js';

/**
 * Jobs a process runs at once for `workers` OCR threads: one more, so that the next job's image is
 * decoded, and a finished page's text post-processed, while every thread reads (the pool's slots
 * still keep one page per thread). With as many jobs as threads, a thread sat idle between jobs.
 */
export const jobsAtOnce = (workers: number) => workers + 1;

export interface ProcessContext {
  pool: OcrPool;
  limits: ImageLimits;
  /** Pages of one job in flight at once. */
  window: number;
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
  /** Each finished page (PDF and multi-page images), as it finishes, and its packed bytes: partial results. */
  onPage?(page: PageText, packed: PackedPage): void;
  /** Per-page counts and stage timings (metrics). */
  metrics?: JobMetrics;
}

/** What runPages hands back: every page laid out and packed, in page order, and the first failure. */
interface PagesRun {
  pages: PackedPage[];
  firstFailure?: TaskFailure;
}

/**
 * Runs tasks produced one by one, at most `window` at a time; pages in page order. The producer
 * is pulled only when a slot is free, so at most `window` pages (rendered or decoded) exist at once.
 * Each finished page is laid out once and kept packed (src/jobs/packed.ts): a long document's
 * pages do not sit on the JS heap as objects until the job ends.
 */
async function runPages(
  tasks: AsyncIterable<OcrTask | TaskFailure> | Iterable<OcrTask>,
  total: number,
  ctx: ProcessContext,
  pageNumbers?: number[],
): Promise<PagesRun> {
  const pages: PackedPage[] = [];
  const failures: TaskFailure[] = [];
  const inflight = new Set<Promise<void>>();
  let index = 0;
  let done = 0;
  let failure: unknown;
  for await (const task of tasks) {
    const i = index++;
    // A page that failed before OCR (a TIFF page that does not decode) is its own result.
    const run = 'ok' in task ? Promise.resolve<PageResult>(task) : ctx.pool.run(task, ctx.signal);
    const p: Promise<void> = run
      .then(async (r) => {
        ctx.metrics?.page(r.ok, r.ok ? r.timings : undefined, r.ok ? r.renderMs : undefined);
        if (!r.ok) failures[i] = r;
        const page = toPage(r, pageNumbers?.[i] ?? i + 1);
        // Packed once: the job's pages and the partial results share the bytes.
        pages[i] = await packPage(page);
        ctx.onPage?.(page, pages[i]);
        ctx.onProgress(++done, total);
      })
      .catch((err) => {
        failure ??= err;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= ctx.window) await Promise.race(inflight);
    if (failure) break;
  }
  await Promise.all(inflight);
  if (failure) throw failure;
  return { pages, firstFailure: failures.find(Boolean) };
}

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
    tables: found.map(({ lines: _, ...t }) => t),
  };
}

function toPage(r: PageResult, page: number): PageText {
  if (r.ok) {
    const p: PageText = {
      page,
      ...laidOut(r.lines, r.width, r.height, r.rotation, r.language, r.rulings),
      success: true,
    };
    if (r.rotation) p.rotation = r.rotation;
    if (r.dpi !== undefined) p.dpi = r.dpi;
    if (r.renderMs !== undefined)
      Object.assign(p, { render_ms: Math.round(r.renderMs), ocr_ms: Math.round(r.ms - r.renderMs) });
    if (r.language !== undefined) Object.assign(p, { language: r.language, model_set: r.modelSet });
    if (r.source) p.source = r.source;
    if (r.textLayer) p.text_layer = r.textLayer;
    return Object.assign(p, { width: r.width, height: r.height });
  }
  return { page, text: '', lines: [], success: false, error: r.message };
}

/** The 1-based pages a PDF job processes. */
export const pdfPageNumbers = (input: JobInput) =>
  input.pageList ?? Array.from({ length: input.pages }, (_, i) => i + 1);

async function* imageTasks(input: JobInput, ctx: ProcessContext): AsyncGenerator<OcrTask | TaskFailure> {
  if (input.type === 'bmp') {
    // Decoded in the OCR worker (the file is copied to it once; our reader is plain JS).
    yield { type: 'bmp', bytes: input.bytes, limits: ctx.limits, lang: input.language, orient: input.orientation };
    return;
  }
  let t = performance.now();
  for await (const p of decodePages(input.bytes, input.type, input.pages, ctx.limits)) {
    ctx.metrics?.stage('decode', performance.now() - t);
    if (ctx.signal.aborted) return;
    if ('code' in p) yield { ok: false, code: p.code, message: p.message };
    else
      yield {
        type: 'image',
        data: p.data,
        width: p.width,
        height: p.height,
        channels: p.channels,
        lang: input.language,
        orient: input.orientation,
      };
    t = performance.now();
  }
}

/** Multi-page results: the job succeeds when any page did; `failed_pages` lists the others. */
function pagesOutcome(pages: PageText[], first: TaskFailure | undefined): { success: boolean; failed_pages: number[] } {
  if (pages.every((p) => !p.success)) {
    throw new ApiError(first ? first.code : 'ocr_failed', first ? first.message : 'OCR failed');
  }
  return { success: true, failed_pages: pages.filter((p) => !p.success).map((p) => p.page) };
}

function* pdfTasks(input: JobInput, docKey: string, pages: number[]): Generator<OcrTask> {
  // One copy into shared memory; every page task then reads the same bytes. Pages are rendered in
  // the workers (into PDFium's WebAssembly heap, not the V8 heap), one at a time per worker.
  // (Already shared when it came from an upload in this process; Redis blobs are copied once.)
  const shared = inSharedMemory(input.bytes);
  for (const page of pages) {
    yield {
      type: 'pdf-page',
      pdf: shared,
      docKey,
      page: page - 1,
      dpi: input.dpi!,
      maxPixels: input.maxPagePixels,
      lang: input.language,
      orient: input.orientation,
      pdfText: input.pdfText ?? 'auto',
    };
  }
}

export async function processJob(jobId: string, input: JobInput, ctx: ProcessContext): Promise<JobOutput> {
  if (input.kind === 'image') {
    ctx.onProgress(0, input.pages);
    const run = await runPages(imageTasks(input, ctx), input.pages, ctx);
    const pages = await unpackPages(run.pages);
    if (pages.length === 1) {
      const { text, lines, blocks, tables, success, width, height, language, model_set, rotation } = pages[0];
      if (!success)
        throw new ApiError(run.firstFailure?.code ?? 'ocr_failed', run.firstFailure?.message ?? 'OCR failed');
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
      ...pagesOutcome(pages, run.firstFailure),
      pages,
    };
  }
  const numbers = pdfPageNumbers(input);
  ctx.onProgress(0, numbers.length);
  // One page more than the window: the render thread draws the next page while the OCR workers
  // are busy, so rendering does not stall them (one gray page waiting, a few MB).
  const run = await runPages(
    pdfTasks(input, jobId, numbers),
    numbers.length,
    { ...ctx, window: ctx.window + 1 },
    numbers,
  );
  const pages = await unpackPages(run.pages);
  const outcome = pagesOutcome(pages, run.firstFailure);
  return {
    kind: 'pdf',
    pages,
    full_text: pages.map((p) => p.text).join('\n\n'),
    total_pages: pages.length,
    ...outcome,
    processing_dpi: input.dpi!,
    pdf_text: input.pdfText ?? 'auto',
  };
}
