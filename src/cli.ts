#!/usr/bin/env node
// `ocr <files...>`: OCR image and PDF files with the native engine, no server. Writes text, JSON,
// hOCR, ALTO or a searchable PDF to stdout or, with --output DIR, one file per input.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { type Progress, progressBar } from './cli/progress.js';
import { decodePages, probeImage } from './image/decode.js';
import { detectType } from './image/detect.js';
import { laidOut } from './jobs/process.js';
import { type JobOutput, PDF_TEXT_MODES, type PageText, type PdfTextMode } from './jobs/types.js';
import { pageLanguage, postprocessLines } from './lang/index.js';
import { postprocessSettings, resolveLanguage } from './lang/resolve.js';
import { cyrillicSet, readAutoScript } from './lang/auto-script.js';
import { type Engine, createEngine, type RecognizeOptions } from './native/engine.js';
import { alto } from './output/alto.js';
import { hocr } from './output/hocr.js';
import { markdown } from './output/markdown.js';
import { searchablePdf } from './output/searchable-pdf.js';
import { csv, parseTableRef } from './output/csv.js';
import { html } from './output/html.js';
import { plainText } from './output/text.js';
import { parsePageRanges } from './pdf/ranges.js';
import { pdfPages } from './pdf/page-text.js';
import { probePdfHere } from './pdf/render.js';

const USAGE = `Usage: ocr <files...> [options]
  --format F          txt (default), json ({ file, pages: [...] } per file), md (Markdown), html,
                      csv (one table, see --table), hocr, alto, pdf (searchable)
  --table N           --format csv: which table, N (0-based, first page) or PAGE:N (default 0)
  --json              same as --format json
  --output DIR        write <name>.<ext> per input file into DIR instead of stdout
  --pages SPEC        PDF pages to read, e.g. 1-3,7 (default: all)
  --model NAME        model set from models/manifest.json (default: by --lang, else pp-ocrv6-tiny)
  --lang LANG         language (en, fr, de, pl, ru, uk, bg, ko, ...) or auto (default: OCR_LANG, else auto):
                      picks the model set and the dictionary that restores accents
  --no-diacritics     do not restore accents from the language's dictionary
  --dpi N             PDF rendering resolution (default 300)
  --pdf-text M        auto (default: PDF_TEXT, else auto): a PDF page's own text where it is usable,
                      OCR elsewhere; ocr: OCR every page; force: OCR every page, and --format pdf
                      replaces each page by its render with the OCR text
  --orientation M     auto (default: OCR_ORIENTATION, else auto): pages scanned sideways or upside
                      down are turned upright first; off: read as they are
  --cls               run the 0/180 line classifier
  --threads N         ONNX Runtime intra-op threads (default 2)
  --provider cpu|cuda execution provider (default cpu)
  --det-limit N       detector side limit (default 1920)
  -h, --help
A progress bar (pages, pages/s, ETA) is drawn on stderr for multi-page files when it is a terminal.`;

const FORMATS = ['txt', 'json', 'md', 'html', 'csv', 'hocr', 'alto', 'pdf'] as const;
type Format = (typeof FORMATS)[number];
const EXT: Record<Format, string> = {
  txt: 'txt',
  json: 'json',
  md: 'md',
  html: 'html',
  csv: 'csv',
  hocr: 'hocr',
  alto: 'alto.xml',
  pdf: 'pdf',
};
const LIMITS = { maxWidth: 20000, maxHeight: 20000, maxPixels: 400_000_000 };

interface Recognized {
  output: JobOutput;
  pages: PageText[];
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      format: { type: 'string' },
      table: { type: 'string' },
      output: { type: 'string' },
      pages: { type: 'string' },
      model: { type: 'string' },
      lang: { type: 'string' },
      'no-diacritics': { type: 'boolean', default: false },
      dpi: { type: 'string', default: '300' },
      cls: { type: 'boolean', default: false },
      orientation: { type: 'string' },
      'pdf-text': { type: 'string' },
      threads: { type: 'string', default: '2' },
      provider: { type: 'string', default: 'cpu' },
      'det-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const format = (values.format ?? (values.json ? 'json' : 'txt')) as Format;
  if (!FORMATS.includes(format))
    throw new RangeError(`--format must be one of ${FORMATS.join(', ')}, got ${values.format}`);
  if (format === 'pdf' && !values.output && process.stdout.isTTY)
    throw new RangeError('--format pdf writes binary: give --output DIR or redirect stdout');
  const orientation = values.orientation ?? (process.env.OCR_ORIENTATION || 'auto');
  if (orientation !== 'auto' && orientation !== 'off')
    throw new RangeError(`--orientation must be auto or off, got ${orientation}`);
  const pdfText = (values['pdf-text'] ?? (process.env.PDF_TEXT || 'auto')) as PdfTextMode;
  if (!PDF_TEXT_MODES.includes(pdfText)) throw new RangeError(`--pdf-text must be auto, ocr or force, got ${pdfText}`);
  const dpi = Number(values.dpi);
  if (!Number.isInteger(dpi) || dpi < 72 || dpi > 600)
    throw new RangeError(`--dpi must be an integer 72-600, got ${values.dpi}`);
  const choice = resolveLanguage(
    { lang: values.lang, diacritics: values['no-diacritics'] ? false : undefined },
    {
      lang: process.env.OCR_LANG || 'auto',
      model: values.model ?? '',
      restoreDiacritics: true,
      modelsDir: process.env.OCR_MODELS_DIR,
    },
  );
  const engine = await createEngine({
    model: choice.modelSet,
    modelsDir: process.env.OCR_MODELS_DIR || undefined,
    intraOpThreads: Number(values.threads),
    executionProvider: values.provider as 'cpu' | 'cuda',
  });
  const cyrSet =
    choice.lang === 'auto' && !values.model ? cyrillicSet(process.env.OCR_MODELS_DIR || undefined) : undefined;
  let cyrEngine: Promise<Engine> | undefined;
  const cyrillic = cyrSet
    ? () =>
        (cyrEngine ??= createEngine({
          model: cyrSet,
          modelsDir: process.env.OCR_MODELS_DIR || undefined,
          intraOpThreads: Number(values.threads),
          executionProvider: values.provider as 'cpu' | 'cuda',
        }))
    : undefined;
  const opts: RecognizeOptions = { useClassifier: values.cls, autoOrient: orientation === 'auto' };
  if (values['det-limit']) opts.detLimitSideLen = Number(values['det-limit']);
  if (values.output) mkdirSync(values.output, { recursive: true });

  let failures = 0;
  const fail = (file: string, message: string) => {
    failures++;
    console.error(`ocr: ${file}: ${message}`);
  };

  /** One page: the engine, the language post-processing (accents, punctuation), then the layout (reading order, blocks). */
  async function read(p: Parameters<typeof engine.recognize>[0]) {
    // --lang auto: a Cyrillic page is read again with the Cyrillic set (src/lang/auto-script.ts).
    const r = await readAutoScript(engine, cyrillic, p, opts);
    const post = postprocessLines(r.lines, {
      lang: choice.lang,
      diacritics: choice.diacritics,
      ...postprocessSettings(r.modelSet),
    });
    return {
      ...laidOut(post.lines, p.width, p.height, r.rotation, post.language, r.rulings),
      language: post.language,
      modelSet: r.modelSet,
      ...(r.rotation && { rotation: r.rotation }),
    };
  }

  async function recognize(
    file: string,
    bytes: Buffer,
    type: NonNullable<ReturnType<typeof detectType>>,
  ): Promise<Recognized> {
    const pages: PageText[] = [];
    const label = path.basename(file);
    let bar: Progress;
    if (type === 'pdf') {
      const { pageCount } = await probePdfHere(bytes, { maxPages: Number.MAX_SAFE_INTEGER });
      const list = values.pages
        ? parsePageRanges(values.pages, pageCount)
        : Array.from({ length: pageCount }, (_, i) => i + 1);
      bar = progressBar(label, list.length);
      for await (const p of pdfPages(
        bytes,
        dpi,
        list.map((n) => n - 1),
        pdfText,
      )) {
        if ('lines' in p) {
          // The page's own text: no engine, no fix-ups; only its language is detected.
          const language = pageLanguage(p.lines, choice.lang);
          pages.push({
            page: p.page,
            ...laidOut(p.lines, p.width, p.height, 0, language),
            success: true,
            dpi: p.dpi,
            width: p.width,
            height: p.height,
            language,
            source: 'pdf',
          });
          bar.tick();
          continue;
        }
        const r = await read(p);
        pages.push({
          page: p.page,
          text: r.text,
          lines: r.lines,
          blocks: r.blocks,
          tables: r.tables,
          success: true,
          dpi: p.dpi,
          width: p.width,
          height: p.height,
          language: r.language,
          model_set: r.modelSet,
          ...(r.rotation && { rotation: r.rotation }),
          source: 'ocr',
          ...(p.textLayer && { text_layer: p.textLayer }),
        });
        bar.tick();
      }
      bar.done();
      const output: JobOutput = {
        kind: 'pdf',
        pages,
        full_text: pages.map((p) => p.text).join('\n\n'),
        total_pages: pages.length,
        success: true,
        failed_pages: [],
        processing_dpi: dpi,
        pdf_text: pdfText,
      };
      return { output, pages };
    }
    const { pages: n } = await probeImage(bytes, type, LIMITS);
    bar = progressBar(label, n);
    let page = 0;
    for await (const p of decodePages(bytes, type, n, LIMITS)) {
      page++;
      // A TIFF page that does not decode is reported; the file's other pages go on.
      if (p instanceof Error) {
        fail(file, p.message);
        pages.push({ page, text: '', lines: [], success: false, error: p.message });
      } else {
        const r = await read(p);
        pages.push({
          page,
          text: r.text,
          lines: r.lines,
          blocks: r.blocks,
          tables: r.tables,
          success: true,
          width: p.width,
          height: p.height,
          language: r.language,
          model_set: r.modelSet,
          ...(r.rotation && { rotation: r.rotation }),
        });
      }
      bar.tick();
    }
    bar.done();
    const ok = pages.filter((p) => p.success);
    const output: JobOutput =
      pages.length === 1
        ? {
            kind: 'image',
            text: ok[0]?.text ?? '',
            lines: ok[0]?.lines ?? [],
            blocks: ok[0]?.blocks,
            tables: ok[0]?.tables,
            success: ok.length > 0,
            width: ok[0]?.width,
            height: ok[0]?.height,
            language: ok[0]?.language,
            model_set: ok[0]?.model_set,
            ...(ok[0]?.rotation && { rotation: ok[0].rotation }),
          }
        : {
            kind: 'image',
            text: ok.map((p) => p.text).join('\n\n'),
            lines: ok.flatMap((p) => p.lines),
            success: ok.length > 0,
            pages,
            failed_pages: pages.filter((p) => !p.success).map((p) => p.page),
          };
    return { output, pages };
  }

  for (const file of positionals) {
    try {
      const bytes = readFileSync(file);
      const type = detectType(bytes);
      if (!type) throw new Error('not a supported image or PDF (JPEG, PNG, BMP, TIFF, WebP, GIF, PDF)');
      const { output, pages } = await recognize(file, bytes, type);
      const name = path.basename(file);
      let body: string | Uint8Array;
      if (format === 'json') body = `${JSON.stringify({ file, pages: pages.map(({ success: _s, ...p }) => p) })}\n`;
      else if (format === 'md') body = markdown(output);
      else if (format === 'html') body = html(output, name);
      else if (format === 'csv') {
        const ref = parseTableRef(values.table);
        if (!ref) throw new RangeError(`--table must be N or PAGE:N, got ${values.table}`);
        const text = csv(output, ref);
        if (text === undefined) throw new Error(`no table ${values.table ?? '0'} found`);
        body = text;
      } else if (format === 'hocr') body = hocr(output, name);
      else if (format === 'alto') body = alto(output, name);
      else if (format === 'pdf') body = await searchablePdf(bytes, type, output);
      else body = plainText(output).replace(/\f/g, '\n\f\n');
      if (values.output) {
        const target = path.join(values.output, `${name.replace(/\.[^.]*$/, '') || name}.${EXT[format]}`);
        writeFileSync(target, body);
        if (process.stderr.isTTY) console.error(`ocr: wrote ${target}`);
      } else if (format === 'txt') {
        if (positionals.length > 1) process.stdout.write(`==> ${name} <==\n`);
        process.stdout.write(`${body as string}\n`);
      } else process.stdout.write(body);
    } catch (err) {
      fail(file, err instanceof Error ? err.message : String(err));
    }
  }
  return failures ? 1 : 0;
}

main().then(
  // Exit once stdout is flushed: a large PDF or ALTO piped out must not be cut short.
  (code) => process.stdout.write('', () => process.exit(code)),
  (err) => {
    console.error(`ocr: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
