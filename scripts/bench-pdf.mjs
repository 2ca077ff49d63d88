#!/usr/bin/env node
// Flat memory on long PDFs, through the running service. Builds a scanned-style PDF from the corpus
// page images (each page its own JPEG, 300 dpi, pages repeated), starts dist/src/server.js as a
// child, submits the PDF, and samples the server's RSS (/proc/<pid>/status VmRSS) at every page
// finished. Prints peak RSS, RSS(page N)/RSS(page N/5), the same for a 10-page PDF, pages/s and
// render vs engine time. Bars (issue 4): peak <= 1.0 GB with the default workers, ratio <= 1.10.
// --pdf FILE: the pages of that PDF instead (in order, from the first again when it has fewer than
//   --pages), e.g. Debian's GLPK manual (a 177-page typeset document: `apt-get download glpk-doc`,
//   `dpkg -x glpk-doc_*.deb DIR`, DIR/usr/share/doc/glpk-doc/glpk.pdf). The soak figures (issue 21):
//   RSS after pages 20, 100 and 500 (the mean of the samples over the ten pages up to each), and
//   RSS(p100)/RSS(p20), RSS(p500)/RSS(p100); bars <= 1.05 each, peak <= 1 GB.
// Usage: node scripts/bench-pdf.mjs [--pages 100] [--dpi 300] [--small 10] [--workers N] [--image PNG] [--pdf FILE] [--json]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

import { startServer as spawnServer } from './lib/start-server.mjs';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '100' },
    dpi: { type: 'string', default: '300' },
    small: { type: 'string', default: '10' },
    workers: { type: 'string' },
    port: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
    /** One page image (PNG/JPEG) for every page instead of the corpus pages (quick runs). */
    image: { type: 'string' },
    pdf: { type: 'string' },
  },
});
const PAGES = Number(values.pages);
const DPI = Number(values.dpi);
const SMALL = Number(values.small);
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const MB = 2 ** 20;
const mb = (b) => (b / MB).toFixed(0);
const log = (...a) => !values.json && console.log(...a);

/** A PDF of `n` pages, each a distinct JPEG image of a corpus page (300 dpi scans, letter size). */
async function buildPdf(n) {
  if (values.pdf) return pagesOf(path.resolve(values.pdf), n);
  const dir = path.join(corpus, 'dev');
  const files = values.image
    ? [path.resolve(values.image)]
    : readdirSync(dir)
        .filter((f) => f.endsWith('.png'))
        .sort()
        .map((f) => path.join(dir, f));
  const jpegs = [];
  for (const f of files) jpegs.push(await sharp(f).jpeg({ quality: 80 }).toBuffer());
  const doc = await PDFDocument.create();
  for (let i = 0; i < n; i++) {
    // Embedded per page (no shared XObject), as in a real scan, so nothing is reused across pages.
    const img = await doc.embedJpg(jpegs[i % jpegs.length]);
    const w = (img.width * 72) / 300;
    const h = (img.height * 72) / 300;
    doc.addPage([w, h]).drawImage(img, { x: 0, y: 0, width: w, height: h });
  }
  return Buffer.from(await doc.save());
}

/**
 * `n` pages of the PDF at `file`, in order, from its first page again when it has fewer. qpdf
 * repeats the file's pages sharing their fonts and resources, as one long document would;
 * pdf-lib's copies would duplicate them per repetition, so PDFium's per-document font cache grew
 * at each new copy and measured the copying, not the pipeline.
 */
async function pagesOf(file, n) {
  const count = (await PDFDocument.load(readFileSync(file))).getPageCount();
  const ranges = [];
  for (let i = 0; i < n; i += count) ranges.push(file, `1-${Math.min(count, n - i)}`);
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-pdf-')), 'doc.pdf');
  execFileSync('qpdf', ['--empty', '--pages', ...ranges, '--', out]);
  return readFileSync(out);
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

async function startServer() {
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: values.port,
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
    JOB_TIMEOUT: '7200',
    MAX_CONTENT_LENGTH: String(512 * MB),
    MAX_PDF_PAGES: String(Math.max(100, PAGES)),
    REDIS_CACHE_TTL: '0',
  };
  if (values.workers) env.OCR_WORKERS = values.workers;
  delete env.REDIS_URL;
  const { child, url } = await spawnServer(env);
  const health = await (await fetch(`${url}/health`)).json();
  return { child, url, health };
}

/** Submits `pdf`, samples the server's RSS at each page finished; returns the figures. */
async function run(server, pdf, label) {
  const form = new FormData();
  form.append('file', new Blob([pdf], { type: 'application/pdf' }), `${label}.pdf`);
  const before = rssOf(server.child.pid).rss;
  const t0 = performance.now();
  const res = await fetch(`${server.url}/ocr/pdf?dpi=${DPI}`, { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`submit: ${res.status} ${await res.text()}`);
  const { job_id: id } = await res.json();
  const atPage = []; // RSS when pages_done first reached i
  const samples = []; // [pages_done, rss] at every poll
  let peak = 0;
  let done = 0;
  for (;;) {
    const status = await (await fetch(`${server.url}/ocr/job/${id}`)).json();
    const { rss } = rssOf(server.child.pid);
    peak = Math.max(peak, rss);
    samples.push([status.progress.pages_done, rss]);
    for (let p = done + 1; p <= status.progress.pages_done; p++) atPage[p] = rss;
    if (status.progress.pages_done > done) {
      done = status.progress.pages_done;
      if (done % 10 === 0 || done === status.progress.total_pages)
        log(`  ${label}: page ${String(done).padStart(3)}/${status.progress.total_pages}  rss ${mb(rss)} MB`);
    }
    if (status.ready) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  const result = await (await fetch(`${server.url}/ocr/job/${id}/result`)).json();
  if (!result.pages) throw new Error(`job failed: ${JSON.stringify(result)}`);
  const n = result.pages.length;
  const early = Math.max(1, Math.round(n / 5));
  const sum = (k) => result.pages.reduce((s, p) => s + (p[k] ?? 0), 0);
  // RSS "after page p": the mean of the samples taken while pages p-9..p were done (one sample at a
  // page's end falls anywhere in the next page's allocations).
  const after = (p) => {
    const w = samples.filter(([d]) => d > p - 10 && d <= p).map(([, r]) => r);
    return w.length ? w.reduce((a, b) => a + b, 0) / w.length : undefined;
  };
  if (process.env.SOAK_SAMPLES) writeFileSync(process.env.SOAK_SAMPLES, JSON.stringify(samples));
  const soak = {};
  for (const p of [20, 100, 500]) if (p <= n && after(p)) soak[`rss_after_p${p}_mb`] = +mb(after(p));
  if (soak.rss_after_p100_mb) soak.ratio_p100_p20 = +(after(100) / after(20)).toFixed(3);
  if (soak.rss_after_p500_mb) soak.ratio_p500_p100 = +(after(500) / after(100)).toFixed(3);
  return {
    pages: n,
    failed: result.pages.filter((p) => !p.success).length,
    pdf_mb: +(pdf.length / MB).toFixed(1),
    rss_before_mb: +mb(before),
    peak_rss_mb: +mb(peak),
    [`rss_page_${early}_mb`]: +mb(atPage[early]),
    [`rss_page_${n}_mb`]: +mb(atPage[n]),
    ratio: +(atPage[n] / atPage[early]).toFixed(3),
    seconds: +seconds.toFixed(1),
    pages_per_s: +(n / seconds).toFixed(3),
    render_s: +(sum('render_ms') / 1000).toFixed(1),
    engine_s: +(sum('ocr_ms') / 1000).toFixed(1),
    words: result.full_text.split(/\s+/).filter(Boolean).length,
    ...soak,
  };
}

log(`building PDFs: ${PAGES} and ${SMALL} pages of ${values.pdf ? path.basename(values.pdf) : 'corpus scans'}...`);
const big = await buildPdf(PAGES);
const small = SMALL > 0 ? await buildPdf(SMALL) : undefined;
const server = await startServer();
const workers = server.health.workers?.threads;
log(
  `server pid ${server.child.pid}, ${workers ?? '?'} workers (${values.workers ? 'OCR_WORKERS' : 'default'}), dpi ${DPI}`,
);
try {
  // The small document first: its peak is the baseline the long one must not exceed by much.
  const out = { dpi: DPI, workers, cpus: (await import('node:os')).availableParallelism() };
  if (small) out.small = await run(server, small, `${SMALL}p`);
  out.large = await run(server, big, `${PAGES}p`);
  out.server_vmhwm_mb = +mb(rssOf(server.child.pid).hwm);
  if (values.json) console.log(JSON.stringify(out, null, 2));
  else {
    const L = out.large;
    console.log(`\n${PAGES}-page PDF at ${DPI} dpi (${L.pdf_mb} MB), ${workers} workers:`);
    console.log(`  peak RSS ${L.peak_rss_mb} MB (bar <= 1024), server VmHWM ${out.server_vmhwm_mb} MB`);
    const keys = Object.keys(L).filter((k) => /^rss_page_/.test(k));
    console.log(
      `  RSS ${keys.map((k) => `${k.replace(/_mb$/, '')} ${L[k]} MB`).join(', ')}: ratio ${L.ratio} (bar <= 1.10)`,
    );
    console.log(
      `  ${L.pages_per_s} pages/s (${L.seconds} s); render ${L.render_s} s vs engine ${L.engine_s} s of worker time; ${L.failed} failed pages`,
    );
    const soakKeys = Object.keys(L).filter((k) => /^rss_after_|^ratio_p/.test(k));
    if (soakKeys.length)
      console.log(
        `  soak: ${soakKeys.map((k) => `${k.replace(/_mb$/, '')} ${L[k]}`).join(', ')} (bars: ratios <= 1.05)`,
      );
    if (out.small) {
      const S = out.small;
      console.log(
        `${SMALL}-page PDF: peak RSS ${S.peak_rss_mb} MB, ratio ${S.ratio}, ${S.pages_per_s} pages/s; render ${S.render_s} s vs engine ${S.engine_s} s`,
      );
      console.log(`  peak(${PAGES}p) / peak(${SMALL}p) = ${(L.peak_rss_mb / S.peak_rss_mb).toFixed(3)}`);
    }
  }
  const ok =
    out.large.peak_rss_mb <= 1024 &&
    out.large.ratio <= 1.1 &&
    (out.large.ratio_p100_p20 ?? 0) <= 1.05 &&
    (out.large.ratio_p500_p100 ?? 0) <= 1.05;
  if (!values.json) console.log(ok ? 'bars met' : 'BARS NOT MET');
  process.exitCode = ok ? 0 : 1;
} finally {
  server.child.kill('SIGTERM');
}
