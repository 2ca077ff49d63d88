// Plain-data messages between the API thread and the OCR worker threads.
import type { PdfTextMode, TextLayer } from '../jobs/types.js';
import type { LanguageChoice } from '../lang/resolve.js';
import type { Failure } from '../threads/failure.js';
import type { LanguageStep } from '../lang/step.js';
import type { OcrLine, StageTimings } from '../native/engine.js';

export interface WorkerSettings {
  model: string;
  modelsDir: string;
  useClassifier: boolean;
  /** OCR_LANG resolved once on the main thread (src/pool/thread-pool.ts): tasks without `lang`. */
  defaultLang: LanguageChoice;
  threadsPerWorker: number;
  spinning: boolean;
  useGpu: boolean;
  gpuDevice: number;
}

/** Decoded pixels, moved (transferred) into the worker. */
export interface ImageTask {
  type: 'image';
  /** Absent: the worker's default set, language detected. */
  lang?: LanguageChoice;
  /** Turn the page upright before reading it (`orientation`); absent: the engine's default (on). */
  orientation?: boolean;
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

/**
 * One PDF page, rendered by the render thread then recognized; `pdf` is backed by a
 * SharedArrayBuffer (no copy per page).
 */
export interface PdfPageTask {
  type: 'pdf-page';
  pdf: Uint8Array;
  /** Identifies the document, so a worker opens it once for consecutive pages. */
  docKey: string;
  /** 0-based. */
  page: number;
  dpi: number;
  /** Pixel budget of the rendered page: above it, the page is rendered at the highest dpi that fits. */
  maxPixels?: number;
  lang?: LanguageChoice;
  orientation?: boolean;
  /** Where the page's text comes from; absent: `ocr` (render and recognize). */
  pdfText?: PdfTextMode;
}

/** A BMP file, decoded in the worker (our BMP reader is plain JS: a 4096² file took seconds). */
export interface BmpTask {
  type: 'bmp';
  /** As for ImageTask. */
  lang?: LanguageChoice;
  orientation?: boolean;
  bytes: Uint8Array;
  limits: { maxWidth: number; maxHeight: number; maxPixels: number };
}

export interface InfoTask {
  type: 'info';
}

export type OcrTask = ImageTask | BmpTask | PdfPageTask | InfoTask;

export interface PageOk {
  ok: true;
  lines: OcrLine[];
  width: number;
  height: number;
  ms: number;
  /** The engine's stage timings (ms), for the metrics of the main thread (registries are per thread). */
  timings?: StageTimings;
  /** PDF pages: the dpi actually rendered at. */
  dpi?: number;
  /** PDF pages: milliseconds of the total spent rendering (the rest is the engine). */
  renderMs?: number;
  /** The page's language (given or detected; 'und' when it could not be told). */
  language?: string;
  /** The model set that read the page. */
  modelSet?: string;
  /** Clockwise degrees the page was turned to read it (0: read as submitted). */
  rotation?: number;
  /** PDF pages: embedded text (`pdf`) or recognized (`ocr`). */
  source?: 'pdf' | 'ocr';
  /** PDF pages read by OCR that have embedded text: whether it was usable. */
  textLayer?: TextLayer;
  /** Ruling lines and shade edges the engine found ([x0, y0, x1, y1], submitted pixels): tables are built from them. */
  rulings?: number[][];
}
/**
 * What an OCR thread answers: the engine's lines as read, and what the language thread needs to
 * post-process them (src/pool/lang-thread.ts).
 */
export type EnginePage = Omit<PageOk, 'language'> & { post: Omit<LanguageStep, 'lines'> };
export type EngineResult = EnginePage | Failure;

/**
 * The render thread's answer: a page's gray pixels (moved), with `textLayer` when the page has
 * embedded text that was not used; or the page's embedded text (`lines`, `pdf_text=auto`); or why
 * it could not be rendered.
 */
export type RenderResult =
  | {
      ok: true;
      data: Uint8Array;
      width: number;
      height: number;
      dpi: number;
      renderMs: number;
      textLayer?: TextLayer;
    }
  | { ok: true; lines: OcrLine[]; width: number; height: number; dpi: number; renderMs: number }
  | Failure;

export interface EngineInfo {
  ok: true;
  modelSet: string;
  executionProvider: string;
  hasClassifier: boolean;
  /** The CUDA device the engine runs on; null on the CPU. */
  gpuDevice: number | null;
}
export type PageResult = PageOk | Failure;
