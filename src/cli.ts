#!/usr/bin/env node
// `ocr <files...> [--json]`: OCR image and PDF files with the native engine, no server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { decodePages, probeImage } from './image/decode.js';
import { detectType } from './image/detect.js';
import { postprocessLines } from './lang/index.js';
import { readsAccents, resolveLanguage } from './lang/resolve.js';
import { createEngine, type OcrLine, type RecognizeOptions } from './native/engine.js';
import { renderPages } from './pdf/render.js';

const USAGE = `Usage: ocr <files...> [options]
  --json              print JSON ({ file, pages: [{ page, text, lines }] } per file)
  --model NAME        model set from models/manifest.json (default: by --lang, else pp-ocrv4)
  --lang LANG         language (en, fr, de, pl, ko, ...) or auto (default: OCR_LANG, else auto):
                      picks the model set and the dictionary that restores accents
  --no-diacritics     do not restore accents from the language's dictionary
  --dpi N             PDF rendering resolution (default 300)
  --cls               run the 0/180 line classifier
  --threads N         ONNX Runtime intra-op threads (default 2)
  --provider cpu|cuda execution provider (default cpu)
  --det-limit N       detector side limit (default 1920)
  -h, --help`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      model: { type: 'string' },
      lang: { type: 'string' },
      'no-diacritics': { type: 'boolean', default: false },
      dpi: { type: 'string', default: '300' },
      cls: { type: 'boolean', default: false },
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
  const dpi = Number(values.dpi);
  if (!Number.isInteger(dpi) || dpi < 72 || dpi > 600) throw new RangeError(`--dpi must be an integer 72-600, got ${values.dpi}`);
  const choice = resolveLanguage(
    { lang: values.lang, diacritics: values['no-diacritics'] ? false : undefined },
    { lang: process.env.OCR_LANG || 'auto', model: values.model ?? '', restoreDiacritics: true, modelsDir: process.env.OCR_MODELS_DIR },
  );
  const engine = await createEngine({
    model: choice.modelSet,
    modelsDir: process.env.OCR_MODELS_DIR || undefined,
    intraOpThreads: Number(values.threads),
    executionProvider: values.provider as 'cpu' | 'cuda',
  });
  const opts: RecognizeOptions = { useClassifier: values.cls };
  if (values['det-limit']) opts.detLimitSideLen = Number(values['det-limit']);
  const limits = { maxWidth: 20000, maxHeight: 20000, maxPixels: 400_000_000 };

  let failures = 0;
  for (const file of positionals) {
    try {
      const bytes = readFileSync(file);
      const type = detectType(bytes);
      if (!type) throw new Error('not a supported image or PDF (JPEG, PNG, BMP, TIFF, WebP, GIF, PDF)');
      const pages: { page: number; text: string; lines: OcrLine[]; language: string; model_set: string }[] = [];
      const source =
        type === 'pdf'
          ? renderPages(bytes, dpi)
          : (async function* () {
              const { pages: n } = await probeImage(bytes, type, limits);
              let page = 0;
              for await (const p of decodePages(bytes, type, n, limits)) {
                page++;
                // A TIFF page that does not decode is reported; the file's other pages go on.
                if (p instanceof Error) {
                  failures++;
                  console.error(`ocr: ${file}: ${p.message}`);
                } else yield { ...p, page };
              }
            })();
      for await (const p of source) {
        const r = await engine.recognize(p, opts);
        const post = postprocessLines(r.lines, { lang: choice.lang, diacritics: choice.diacritics, readsAccents: readsAccents(choice.modelSet) });
        const text = post.lines.map((l) => l.text).join('\n');
        pages.push({ page: p.page, text, lines: post.lines, language: post.language, model_set: engine.modelSet });
      }
      if (values.json) console.log(JSON.stringify({ file, pages }));
      else {
        if (positionals.length > 1) console.log(`==> ${path.basename(file)} <==`);
        console.log(pages.map((p) => p.text).join('\n\f\n'));
      }
    } catch (err) {
      failures++;
      console.error(`ocr: ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`ocr: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
