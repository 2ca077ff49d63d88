#!/usr/bin/env node
// PDF text layer through the running service: the 311-page gnuplot manual from Debian's
// gnuplot-doc (scripts/lib/doc-pdf.mjs, pinned, cached outside git) submitted whole with the
// defaults (`pdf_text=auto`), and its first --ocr-pages pages with `pdf_text=ocr` as the baseline in
// the same run. Prints pages/s of each (submit to result, on the server's clock and the client's),
// their ratio, the share of pages answered from their text, and the word F1 of the result against
// `pdftotext`. Bars: F1 >= 0.99 and >= 20 pages/s with the defaults.
// Usage: node scripts/bench-pdf-text.mjs [--ocr-pages 3] [--dpi 300] [--json]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { PDFDocument } from 'pdf-lib';

import { docPdf, wordF1 } from './lib/doc-pdf.mjs';
import { startServer } from './lib/start-server.mjs';

const { values } = parseArgs({
  options: {
    'ocr-pages': { type: 'string', default: '3' },
    dpi: { type: 'string', default: '300' },
    json: { type: 'boolean', default: false },
  },
});
const log = (...a) => values.json || console.error(...a);

const file = docPdf();
const bytes = readFileSync(file);
const reference = execFileSync('pdftotext', [file, '-'], { maxBuffer: 64 * 2 ** 20 }).toString();
const src = await PDFDocument.load(bytes);
const head = await PDFDocument.create();
for (const p of await head.copyPages(
  src,
  Array.from({ length: Number(values['ocr-pages']) }, (_, i) => i + 10),
))
  head.addPage(p);
const headBytes = Buffer.from(await head.save());

const env = {
  ...process.env,
  RATE_LIMIT_PER_MINUTE: '0',
  JOB_TIMEOUT: '7200',
  MAX_PDF_PAGES: '1000',
  MAX_CONTENT_LENGTH: String(256 * 2 ** 20),
  REDIS_CACHE_TTL: '0',
  LOG_LEVEL: 'info',
};
delete env.REDIS_URL;
const server = await startServer(env);

async function job(pdf, mode) {
  const form = new FormData();
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'doc.pdf');
  const t0 = performance.now();
  const res = await fetch(`${server.url}/ocr/pdf?dpi=${values.dpi}&pdf_text=${mode}`, { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`submit: ${res.status} ${await res.text()}`);
  const { job_id: id } = await res.json();
  for (;;) {
    const s = await (await fetch(`${server.url}/ocr/job/${id}`)).json();
    if (s.ready) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = await (await fetch(`${server.url}/ocr/job/${id}/result`)).json();
  const n = result.pages.length;
  return {
    pages: n,
    seconds,
    pagesPerSecond: n / seconds,
    serverSeconds: result.processing_time_seconds,
    fromText: result.pages.filter((p) => p.source === 'pdf').length,
    text: result.full_text,
  };
}

try {
  log(
    `${file}: ${src.getPageCount()} pages, dpi ${values.dpi}; baseline: ${values['ocr-pages']} pages with pdf_text=ocr`,
  );
  const ocr = await job(headBytes, 'ocr');
  const auto = await job(bytes, 'auto');
  const f1 = wordF1(reference, auto.text);
  const figures = {
    date: new Date().toISOString(),
    auto: {
      pages: auto.pages,
      seconds: +auto.seconds.toFixed(2),
      pagesPerSecond: +auto.pagesPerSecond.toFixed(1),
      fromText: auto.fromText,
      f1: +f1.toFixed(4),
    },
    ocr: { pages: ocr.pages, seconds: +ocr.seconds.toFixed(2), pagesPerSecond: +ocr.pagesPerSecond.toFixed(3) },
    speedup: +(auto.pagesPerSecond / ocr.pagesPerSecond).toFixed(1),
    bars: { f1: f1 >= 0.99, pagesPerSecond: auto.pagesPerSecond >= 20 },
  };
  console.log(values.json ? JSON.stringify(figures) : JSON.stringify(figures, null, 2));
  process.exitCode = figures.bars.f1 && figures.bars.pagesPerSecond ? 0 : 1;
} finally {
  server.child.kill();
}
