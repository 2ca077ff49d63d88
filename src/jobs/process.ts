// Turns one job's file into its output: decode (images, here) or render (PDF pages, in the
// workers), OCR page by page in the pool with a bounded window; each page assembled as the CLI does
// (src/page/assemble.ts). Shared by every JobQueue implementation.
import { ApiError } from '../errors.js';
import { decodePages } from '../image/decode.js';
import type { ImageLimits } from '../image/limits.js';
import { inSharedMemory } from '../pdf/shared.js';
import type { JobMetrics } from '../metrics/ocr-metrics.js';
import { imageOutput, pageRecord, pdfOutput } from '../page/assemble.js';
import type { OcrPool } from '../pool/ocr-pool.js';
import type { OcrTask, PageResult } from '../pool/tasks.js';
import { type Failure, failure } from '../threads/failure.js';
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
  firstFailure?: Failure;
}

/**
 * Runs tasks produced one by one, at most `window` at a time; pages in page order. The producer
 * is pulled only when a slot is free, so at most `window` pages (rendered or decoded) exist at once.
 * Each finished page is laid out once and kept packed (src/jobs/packed.ts): a long document's
 * pages do not sit on the JS heap as objects until the job ends.
 */
async function runPages(
  tasks: AsyncIterable<OcrTask | Failure> | Iterable<OcrTask>,
  total: number,
  ctx: ProcessContext,
  pageNumbers?: number[],
): Promise<PagesRun> {
  const pages: PackedPage[] = [];
  const failures: Failure[] = [];
  const inflight = new Set<Promise<void>>();
  let index = 0;
  let done = 0;
  let thrown: unknown;
  for await (const task of tasks) {
    const i = index++;
    // A page that failed before OCR (a TIFF page that does not decode) is its own result.
    const run = 'ok' in task ? Promise.resolve<PageResult>(task) : ctx.pool.run(task, ctx.signal);
    const p: Promise<void> = run
      .then(async (r) => {
        ctx.metrics?.page(r.ok, r.ok ? r.timings : undefined, r.ok ? r.renderMs : undefined);
        if (!r.ok) failures[i] = r;
        const page = pageRecord(r, pageNumbers?.[i] ?? i + 1);
        // Packed once: the job's pages and the partial results share the bytes.
        pages[i] = await packPage(page);
        ctx.onPage?.(page, pages[i]);
        ctx.onProgress(++done, total);
      })
      .catch((err) => {
        thrown ??= err;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= ctx.window) await Promise.race(inflight);
    if (thrown) break;
  }
  await Promise.all(inflight);
  if (thrown) throw thrown;
  return { pages, firstFailure: failures.find(Boolean) };
}

/** The 1-based pages a PDF job processes. */
export const pdfPageNumbers = (input: JobInput) =>
  input.pageList ?? Array.from({ length: input.pages }, (_, i) => i + 1);

async function* imageTasks(input: JobInput, ctx: ProcessContext): AsyncGenerator<OcrTask | Failure> {
  if (input.type === 'bmp') {
    // Decoded in the OCR worker (the file is copied to it once; our reader is plain JS).
    yield { type: 'bmp', bytes: input.bytes, limits: ctx.limits, lang: input.language, orientation: input.orientation };
    return;
  }
  let t = performance.now();
  for await (const p of decodePages(input.bytes, input.type, input.pages, ctx.limits)) {
    ctx.metrics?.stage('decode', performance.now() - t);
    if (ctx.signal.aborted) return;
    if ('code' in p) yield failure(p.code, p.message);
    else
      yield {
        type: 'image',
        data: p.data,
        width: p.width,
        height: p.height,
        channels: p.channels,
        lang: input.language,
        orientation: input.orientation,
      };
    t = performance.now();
  }
}

/** The error a job fails with when none of its pages could be read: the first page's. */
const jobError = (first: Failure | undefined) =>
  new ApiError(first ? first.code : 'ocr_failed', first ? first.message : 'OCR failed');

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
      orientation: input.orientation,
      pdfText: input.pdfText ?? 'auto',
    };
  }
}

export async function processJob(jobId: string, input: JobInput, ctx: ProcessContext): Promise<JobOutput> {
  if (input.kind === 'image') {
    ctx.onProgress(0, input.pages);
    const run = await runPages(imageTasks(input, ctx), input.pages, ctx);
    const output = imageOutput(await unpackPages(run.pages));
    if (!output.success) throw jobError(run.firstFailure);
    return output;
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
  const output = pdfOutput(await unpackPages(run.pages), input.dpi!, input.pdfText ?? 'auto');
  if (!output.success) throw jobError(run.firstFailure);
  return output;
}
