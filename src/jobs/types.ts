// The job system behind one interface. The in-memory implementation (memory-queue.ts) is the
// default; a Redis/BullMQ one implements the same interface, so routes never branch on it.
import type { JobErrorCode } from '../errors.js';
import type { FileKind, FileType } from '../image/detect.js';
import type { LanguageChoice } from '../lang/resolve.js';
import type { Block } from '../layout/index.js';
import type { OcrLine } from '../native/engine.js';
import type { Table } from '../tables/index.js';

export type JobStatus = 'queued' | 'processing' | 'completed' | 'failed';

export interface JobInput {
  kind: FileKind;
  type: FileType;
  /** For display only; never used as a path. */
  filename: string;
  bytes: Buffer;
  /** Pages found at submission (TIFF pages, PDF pages). */
  pages: number;
  /** PDF rendering resolution. */
  dpi?: number;
  /**
   * PDF page ranges (`?pages=1-3,7`): the 1-based page numbers to process, ascending, unique.
   * Absent means every page. Part of the result-cache key.
   */
  pageList?: number[];
  /** Pixel budget of one rendered PDF page (MAX_PDF_PAGE_PIXELS): a larger page is rendered at a lower dpi. */
  maxPagePixels?: number;
  /** Webhook target (checked at submission): the status body is POSTed there when the job finishes. */
  callbackUrl?: string;
  /** sha256 (hex) of the API key that submitted the job, when keys are on: only that key reads it. */
  owner?: string;
  /** Language and model set (`lang` / OCR_LANG, OCR_MODEL); part of the result-cache key. */
  language?: LanguageChoice;
  /** Pages are turned upright before they are read (`orientation` / OCR_ORIENTATION); part of the result-cache key. */
  orientation?: boolean;
  /**
   * PDFs: where a page's text comes from (`pdf_text` / PDF_TEXT, src/pdf/page-text.ts); part of the
   * result-cache key.
   */
  pdfText?: PdfTextMode;
}

/**
 * `auto`: a page's embedded text where it is usable, OCR elsewhere; `ocr`: every page rendered and
 * OCRed (the searchable PDF adds no layer over usable text); `force`: every page OCRed, and the
 * searchable PDF's pages are the renders with the OCR layer only.
 */
export const PDF_TEXT_MODES = ['auto', 'ocr', 'force'] as const;
export type PdfTextMode = (typeof PDF_TEXT_MODES)[number];
/** Whether a PDF page's embedded text was usable, on a page read by OCR that has some. */
export type TextLayer = 'usable' | 'unusable';

export interface PageText {
  page: number;
  /** The blocks' text in reading order, a blank line between blocks. */
  text: string;
  /** In reading order. */
  lines: OcrLine[];
  /** The lines grouped into blocks, in reading order (src/layout). Absent in results stored before layout analysis. */
  blocks?: Block[];
  /**
   * Tables found on the page as cells (src/tables); a `table` block points at one. Absent in results
   * stored before tables.
   */
  tables?: Table[];
  success: boolean;
  /** Set when success is false. */
  error?: string;
  /** PDF pages: the dpi this page was rendered at (below the requested one when the pixel budget forced it). */
  dpi?: number;
  /** Pixel size of the processed page (the frame of `lines[].bbox`), for the searchable-PDF text layer. */
  width?: number;
  height?: number;
  /** PDF pages: milliseconds rendering the page and in the OCR engine. */
  render_ms?: number;
  ocr_ms?: number;
  /** The page's language: given, or detected from its text ('und' when it could not be told). */
  language?: string;
  /** The model set that read the page. */
  model_set?: string;
  /** Clockwise degrees (0/90/180/270) the page was turned to read it; boxes stay in the frame of `width` x `height`. */
  rotation?: number;
  /** PDF pages: `pdf` when the lines are the page's embedded text, `ocr` when they were recognized. */
  source?: 'pdf' | 'ocr';
  /**
   * PDF pages read by OCR that have embedded text: whether it was usable (the searchable PDF adds no
   * layer over usable text).
   */
  text_layer?: TextLayer;
}

/** What a job produces: plain JSON, the unit stored in the result cache. */
export type JobOutput =
  | {
      kind: 'image';
      text: string;
      lines: OcrLine[];
      /** Single-page images: the blocks of `lines` (multi-page: per page). */
      blocks?: Block[];
      /** Single-page images: the page's tables. */
      tables?: Table[];
      success: boolean;
      pages?: PageText[];
      failed_pages?: number[];
      /** Single-page images: the pixel frame of `lines[].bbox` (hOCR/ALTO page size, the web page's viewer). */
      width?: number;
      height?: number;
      language?: string;
      model_set?: string;
      /** Single-page images: clockwise degrees the page was turned to read it (absent: upright). */
      rotation?: number;
    }
  | {
      kind: 'pdf';
      pages: PageText[];
      full_text: string;
      total_pages: number;
      success: boolean;
      /** Pages (original numbers) that failed; the job succeeds when any page did. */
      failed_pages: number[];
      processing_dpi: number;
      /** The `pdf_text` mode the job ran with (absent in results stored before it existed: OCR). */
      pdf_text?: PdfTextMode;
    };

export interface JobRecord {
  id: string;
  status: JobStatus;
  kind: FileKind;
  filename: string;
  fileSize: number;
  dpi?: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  progress: { pages_done: number; total_pages: number };
  /**
   * While processing: the pages finished so far (any order; `page` says which), for
   * `GET /ocr/job/:id/result?partial=true`. An implementation may drop it once `output` is set.
   */
  partial?: PageText[];
  cached: boolean;
  /** sha256 (hex) of the submitting API key (never the key itself). */
  owner?: string;
  output?: JobOutput;
  error?: { code: JobErrorCode; message: string };
}

export interface QueueStats {
  queued: number;
  processing: number;
  /** Jobs (any state) currently held. */
  stored: number;
  capacity: number;
  accepting: boolean;
  /** Set when the backing store (Redis) cannot be reached: why the service is not ready. */
  unavailable?: string;
}

export interface JobQueue {
  /** Creates a job (or a completed one from the cache). Throws ApiError('queue_full') with retryAfter. */
  submit(input: JobInput): Promise<JobRecord>;
  /** undefined for unknown or expired ids. */
  get(id: string): Promise<JobRecord | undefined>;
  stats(): Promise<QueueStats>;
  /**
   * The uploaded bytes of a completed job, kept while its result is (at least until RESULT_TTL, or
   * less where memory is bounded): `?format=pdf` rebuilds the document from them. undefined when
   * unknown, expired or evicted.
   */
  source(id: string): Promise<Buffer | undefined>;
  /** Stops accepting, lets running jobs finish within graceMs. */
  close(graceMs: number): Promise<void>;
  /**
   * Cancels and forgets a job: a waiting job never starts, a running one starts no more pages;
   * its record, upload and cached result are removed. false when the id is unknown.
   */
  delete(id: string): Promise<boolean>;
}
