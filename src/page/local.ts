// The page pipeline in the caller's thread, for the CLI: the steps the service's threads run (the
// engine, with the Cyrillic re-read under lang=auto; then the language step), then the shared
// assembly (assemble.ts) from page results to the file's output. A file's pages are read one after
// the other; the service runs the same steps through its pool (src/jobs/process.ts).
import { decodePages, probeImage } from '../image/decode.js';
import type { FileType } from '../image/detect.js';
import type { ImageLimits } from '../image/limits.js';
import type { JobOutput, PageText, PdfTextMode } from '../jobs/types.js';
import { cyrillicSet, readAutoScript } from '../lang/auto-script.js';
import { pageLanguage } from '../lang/index.js';
import type { LanguageChoice } from '../lang/resolve.js';
import { runLanguageStep } from '../lang/step.js';
import { type Engine, type RawImage, type RecognizeOptions, createEngine } from '../native/engine.js';
import { pdfPages } from '../pdf/page-text.js';
import { parsePageRanges } from '../pdf/ranges.js';
import { probePdfHere } from '../pdf/render.js';
import type { PageOk, PageResult } from '../pool/tasks.js';
import { failure } from '../threads/failure.js';
import { imageOutput, pageRecord, pdfOutput } from './assemble.js';

export interface LocalReaderOptions {
  /** The language and the model set that reads it (src/lang/resolve.ts). */
  choice: LanguageChoice;
  /** A model set was named: lang=auto then reads every page with it (no Cyrillic re-read). */
  modelNamed: boolean;
  modelsDir?: string;
  intraOpThreads: number;
  executionProvider: 'cpu' | 'cuda';
  recognize: RecognizeOptions;
}

/** Reads pages in this thread: by the engine and the language step, or from a PDF's own text. */
export interface LocalReader {
  image(image: RawImage): Promise<PageOk>;
  /** A PDF page's own text: no engine, no fix-ups; only its language is detected. */
  text(lines: PageOk['lines'], width: number, height: number): PageOk;
}

/** Loads the engine (and, for lang=auto, the Cyrillic set on the first page that needs it). */
export async function localReader(o: LocalReaderOptions): Promise<LocalReader> {
  const engineOf = (model: string) =>
    createEngine({
      model,
      modelsDir: o.modelsDir,
      intraOpThreads: o.intraOpThreads,
      executionProvider: o.executionProvider,
    });
  const engine = await engineOf(o.choice.modelSet);
  const cyrSet = o.choice.lang === 'auto' && !o.modelNamed ? cyrillicSet(o.modelsDir) : undefined;
  let cyrEngine: Promise<Engine> | undefined;
  const cyrillic = cyrSet ? () => (cyrEngine ??= engineOf(cyrSet)) : undefined;
  return {
    async image(image) {
      const start = performance.now();
      // lang=auto: a Cyrillic page is read again with the Cyrillic set (src/lang/auto-script.ts).
      const r = await readAutoScript(engine, cyrillic, image, o.recognize);
      // The language step: accents and punctuation (the service's language thread runs the same).
      const step = { lines: r.lines, lang: o.choice.lang, diacritics: o.choice.diacritics, modelSet: r.modelSet };
      const post = runLanguageStep(step);
      return {
        ok: true,
        lines: post.lines,
        width: image.width,
        height: image.height,
        ms: performance.now() - start,
        language: post.language,
        modelSet: r.modelSet,
        rotation: r.rotation,
        rulings: r.rulings,
      };
    },
    text(lines, width, height) {
      return { ok: true, lines, width, height, ms: 0, language: pageLanguage(lines, o.choice.lang), source: 'pdf' };
    },
  };
}

/** What reading a file reports as it goes (the CLI draws a progress bar and prints page errors). */
export interface ReadEvents {
  /** Called once the file's page count is known; the answer is told of each page read. */
  progress(total: number): { tick(): void; done(): void };
  /** A page that could not be read (a TIFF page that does not decode); the file's other pages go on. */
  pageFailed(message: string): void;
}

export interface ReadFileOptions {
  /** PDF rendering resolution. */
  dpi: number;
  /** PDF page ranges (`--pages`); absent: every page. */
  pages?: string;
  pdfText: PdfTextMode;
  limits: ImageLimits;
}

/** Reads every page of a file (its bytes) in this thread; its output and its page records. */
export async function readDocument(
  reader: LocalReader,
  bytes: Buffer,
  type: FileType,
  o: ReadFileOptions,
  events: ReadEvents,
): Promise<{ output: JobOutput; pages: PageText[] }> {
  const pages: PageText[] = [];
  if (type === 'pdf') {
    const { pageCount } = await probePdfHere(bytes, { maxPages: Number.MAX_SAFE_INTEGER });
    const list = o.pages ? parsePageRanges(o.pages, pageCount) : Array.from({ length: pageCount }, (_, i) => i + 1);
    const bar = events.progress(list.length);
    const indexes = list.map((n) => n - 1);
    for await (const p of pdfPages(bytes, o.dpi, indexes, o.pdfText)) {
      let r: PageOk;
      if ('lines' in p) r = reader.text(p.lines, p.width, p.height);
      else {
        const read = await reader.image({ data: p.data, width: p.width, height: p.height, channels: p.channels });
        r = { ...read, source: 'ocr', ...(p.textLayer && { textLayer: p.textLayer }) };
      }
      pages.push(pageRecord({ ...r, dpi: p.dpi }, p.page));
      bar.tick();
    }
    bar.done();
    return { output: pdfOutput(pages, o.dpi, o.pdfText), pages };
  }
  const { pages: n } = await probeImage(bytes, type, o.limits);
  const bar = events.progress(n);
  let page = 0;
  for await (const p of decodePages(bytes, type, n, o.limits)) {
    page++;
    let r: PageResult;
    if (p instanceof Error) {
      events.pageFailed(p.message);
      r = failure(p.code, p.message);
    } else r = await reader.image(p);
    pages.push(pageRecord(r, page));
    bar.tick();
  }
  bar.done();
  return { output: imageOutput(pages), pages };
}
