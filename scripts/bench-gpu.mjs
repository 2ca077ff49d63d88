#!/usr/bin/env node
// End-to-end GPU throughput through the service (issue 14), one command that fits one device call:
// a 100-page PDF (the corpus' two born-digital PDFs, pages cycled) rendered at 300 dpi and 200
// corpus page images, all submitted at once to a service started with USE_GPU=true; then the same
// documents (or the first --cpu-pages of them) on a service started on the CPU, for the ratio.
// Prints and writes to --out: pages/s of both, the GPU-busy share (nvidia-smi utilization sampled
// every 100 ms during the run), time inside and outside ONNX Runtime's Run per page (from
// /metrics), and how many pages read the same text on both.
// Usage: node scripts/bench-gpu.mjs [--pdf-pages 100] [--images 200] [--cpu-pages 60] [--out FILE]
//        [--no-gpu] [--no-cpu] [--env KEY=VALUE ...]   (after npm run build)
// Without nvidia-smi (or with --no-gpu) only the CPU run happens, and the file says so.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { PDFDocument } from 'pdf-lib';

import { startServer } from './lib/start-server.mjs';

const { values } = parseArgs({
  options: {
    'pdf-pages': { type: 'string', default: '100' },
    images: { type: 'string', default: '200' },
    'cpu-pages': { type: 'string', default: '60' },
    out: { type: 'string', default: 'bench-gpu.json' },
    'no-gpu': { type: 'boolean', default: false },
    'no-cpu': { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'corpus');

async function buildPdf(pages) {
  const out = await PDFDocument.create();
  const sources = [];
  for (const f of ['cvs-paper.pdf', 'pdp11_doc.pdf'])
    sources.push(await PDFDocument.load(readFileSync(path.join(corpus, 'pdf', f))));
  const order = [];
  for (const [s, doc] of sources.entries()) for (let i = 0; i < doc.getPageCount(); i++) order.push([s, i]);
  for (let k = 0; k < pages; k++) {
    const [s, i] = order[k % order.length];
    const [page] = await out.copyPages(sources[s], [i]);
    out.addPage(page);
  }
  return Buffer.from(await out.save());
}

function corpusImages(n) {
  const all = [];
  for (const set of ['dev', 'dev2', 'dev-degraded', 'dev2-degraded']) {
    for (const f of readdirSync(path.join(corpus, set)).sort()) all.push(path.join(corpus, set, f));
  }
  return Array.from({ length: n }, (_, k) => all[k % all.length]);
}

function gpuSampler() {
  const has = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8' });
  if (has.status !== 0) return null;
  const samples = [];
  const child = spawn('nvidia-smi', ['--query-gpu=utilization.gpu', '--format=csv,noheader,nounits', '-lms', '100'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  child.stdout.setEncoding('utf8');
  let rest = '';
  child.stdout.on('data', (chunk) => {
    rest += chunk;
    const lines = rest.split('\n');
    rest = lines.pop();
    for (const l of lines) if (/^\s*\d+/.test(l)) samples.push(Number(l.trim().split(',')[0]));
  });
  return {
    device: has.stdout.split('\n')[0],
    stop() {
      child.kill('SIGTERM');
      const busy = samples.filter((v) => v > 0).length;
      return {
        samples: samples.length,
        meanUtilization: samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length),
        busyShare: busy / Math.max(1, samples.length),
      };
    },
  };
}

function stageSums(metricsText) {
  const sums = {};
  for (const m of metricsText.matchAll(/^ocr_page_stage_seconds_sum\{stage="(\w+)"\} ([\d.e+-]+)$/gm))
    sums[m[1]] = Number(m[2]);
  return sums;
}

async function run(label, env, pdf, images) {
  const server = await startServer({
    ...process.env,
    PORT: '0',
    RATE_LIMIT_PER_MINUTE: '0',
    QUEUE_MAX: '10000',
    REDIS_CACHE_TTL: '0',
    METRICS_ENABLED: 'true',
    MAX_CONTENT_LENGTH: String(512 * 2 ** 20),
    JOB_TIMEOUT: '3600',
    LOG_LEVEL: 'info', // startServer waits for the "Server listening" line
    ...env,
  });
  try {
    for (;;) {
      if ((await fetch(`${server.url}/health/ready`)).status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const health = await (await fetch(`${server.url}/health`)).json();
    const sampler = env.USE_GPU === 'true' ? gpuSampler() : null;
    const t0 = performance.now();
    const submit = async (route, name, bytes) => {
      const form = new FormData();
      form.append('file', new Blob([bytes]), name);
      const res = await fetch(`${server.url}${route}`, { method: 'POST', body: form });
      if (res.status !== 202) throw new Error(`${label} ${name}: ${res.status} ${await res.text()}`);
      return (await res.json()).job_id;
    };
    const jobs = [];
    if (pdf) jobs.push({ id: await submit('/ocr/pdf', 'bench.pdf', pdf.bytes), pdf: true });
    jobs.push(
      ...(await Promise.all(
        images.map(async (f) => ({ id: await submit('/ocr/image', path.basename(f), readFileSync(f)) })),
      )),
    );
    const results = new Array(jobs.length);
    for (let left = jobs.length; left > 0;) {
      await new Promise((r) => setTimeout(r, 250));
      await Promise.all(
        jobs.map(async (j, i) => {
          if (results[i]) return;
          const res = await fetch(`${server.url}/ocr/job/${j.id}/result`);
          if (res.status === 202) return;
          results[i] = await res.json();
          if (res.status !== 200) throw new Error(`${label}: job ${j.id}: ${res.status} ${JSON.stringify(results[i])}`);
          left--;
        }),
      );
    }
    const seconds = (performance.now() - t0) / 1000;
    const gpu = sampler?.stop() ?? null;
    const sums = stageSums(await (await fetch(`${server.url}/metrics`)).text());
    const texts = [];
    for (const [i, j] of jobs.entries()) {
      if (j.pdf) for (const p of results[i].pages) texts.push(p.lines.map((l) => l.text).join('\n'));
      else texts.push(results[i].lines.map((l) => l.text).join('\n'));
    }
    const pages = texts.length;
    const engine = (sums.det ?? 0) + (sums.cls ?? 0) + (sums.rec ?? 0);
    return {
      label,
      workers: health.workers,
      executionProvider: health.ocr_service.execution_provider,
      pages,
      seconds,
      pagesPerSecond: pages / seconds,
      msPerPage: {
        render: ((sums.render ?? 0) * 1000) / pages,
        decode: ((sums.decode ?? 0) * 1000) / pages,
        det: ((sums.det ?? 0) * 1000) / pages,
        rec: ((sums.rec ?? 0) * 1000) / pages,
        insideRun: ((sums.ort ?? 0) * 1000) / pages,
        outsideRun: ((engine - (sums.ort ?? 0)) * 1000) / pages,
      },
      gpu,
      texts,
    };
  } finally {
    server.child.kill('SIGTERM');
  }
}

const extra = {};
for (const kv of values.env) extra[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
const pdfPages = Number(values['pdf-pages']);
const pdf = pdfPages > 0 ? { bytes: await buildPdf(pdfPages), pages: pdfPages } : null;
const images = corpusImages(Number(values.images));
const hasGpu = !values['no-gpu'] && spawnSync('nvidia-smi', ['-L']).status === 0;
const report = { date: new Date().toISOString(), pdfPages, images: images.length, gpu: null, cpu: null };

if (hasGpu) report.gpu = await run('gpu', { USE_GPU: 'true', ...extra }, pdf, images);
if (!values['no-cpu']) {
  // The CPU run takes the first --cpu-pages pages (PDF pages first, then images) to stay short.
  const n = Number(values['cpu-pages']);
  const cpuPdf = pdf && n > 0 ? { bytes: await buildPdf(Math.min(pdfPages, n)), pages: Math.min(pdfPages, n) } : null;
  const cpuImages = images.slice(0, Math.max(0, n - (cpuPdf?.pages ?? 0)));
  report.cpu = await run('cpu', { USE_GPU: 'false', ...extra }, cpuPdf, cpuImages);
}
if (report.gpu && report.cpu) {
  const n = report.cpu.texts.length;
  report.sameText = report.cpu.texts.filter((t, i) => t === report.gpu.texts[i]).length + ` of ${n} pages`;
  report.ratio = report.gpu.pagesPerSecond / report.cpu.pagesPerSecond;
}
const show = (r) =>
  r &&
  `${r.label}: ${r.pages} pages in ${r.seconds.toFixed(1)} s = ${r.pagesPerSecond.toFixed(2)} pages/s (${r.executionProvider}, ${r.workers.threads} workers x ${r.workers.threads_per_worker}); ` +
    `ms/page render ${r.msPerPage.render.toFixed(0)}, decode ${r.msPerPage.decode.toFixed(0)}, det ${r.msPerPage.det.toFixed(0)}, rec ${r.msPerPage.rec.toFixed(0)}, ` +
    `inside Run ${r.msPerPage.insideRun.toFixed(0)}, outside ${r.msPerPage.outsideRun.toFixed(0)}` +
    (r.gpu
      ? `; GPU busy ${(r.gpu.busyShare * 100).toFixed(0)}% of ${r.gpu.samples} samples, mean utilization ${r.gpu.meanUtilization.toFixed(0)}%`
      : '');
console.log(
  hasGpu
    ? `device: ${spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8' }).stdout.trim()}`
    : 'no GPU (nvidia-smi missing or --no-gpu): CPU run only',
);
for (const r of [report.gpu, report.cpu]) if (r) console.log(show(r));
if (report.ratio) console.log(`GPU / CPU pages/s: ${report.ratio.toFixed(2)}; same text: ${report.sameText}`);
for (const r of [report.gpu, report.cpu]) if (r) delete r.texts;
writeFileSync(values.out, JSON.stringify(report, null, 2));
console.log(`figures written to ${values.out}`);
