#!/usr/bin/env node
// `ocr <files...>`: OCR image and PDF files with the native engine, no server. Writes text, JSON,
// hOCR, ALTO or a searchable PDF to stdout or, with --output DIR, one file per input.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { progressBar } from './cli/progress.js';
import { detectType } from './image/detect.js';
import { PDF_TEXT_MODES, type PdfTextMode } from './jobs/types.js';
import { resolveLanguage } from './lang/resolve.js';
import { alto } from './output/alto.js';
import { hocr } from './output/hocr.js';
import { markdown } from './output/markdown.js';
import { searchablePdf } from './output/searchable-pdf.js';
import { csv, parseTableRef } from './output/csv.js';
import { html } from './output/html.js';
import { plainText } from './output/text.js';
import { localReader, readDocument } from './page/local.js';

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
  const reader = await localReader({
    choice,
    modelNamed: !!values.model,
    modelsDir: process.env.OCR_MODELS_DIR || undefined,
    intraOpThreads: Number(values.threads),
    executionProvider: values.provider as 'cpu' | 'cuda',
    recognize: {
      useClassifier: values.cls,
      orientation: orientation === 'auto',
      ...(values['det-limit'] && { detLimitSideLen: Number(values['det-limit']) }),
    },
  });
  if (values.output) mkdirSync(values.output, { recursive: true });

  let failures = 0;
  const fail = (file: string, message: string) => {
    failures++;
    console.error(`ocr: ${file}: ${message}`);
  };

  for (const file of positionals) {
    try {
      const bytes = readFileSync(file);
      const type = detectType(bytes);
      if (!type) throw new Error('not a supported image or PDF (JPEG, PNG, BMP, TIFF, WebP, GIF, PDF)');
      const { output, pages } = await readDocument(
        reader,
        bytes,
        type,
        { dpi, pages: values.pages, pdfText, limits: LIMITS },
        { progress: (total) => progressBar(path.basename(file), total), pageFailed: (message) => fail(file, message) },
      );
      const name = path.basename(file);
      let body: string | Uint8Array;
      // --json leaves out `success` (a failed page says so by its `error`).
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
