#!/usr/bin/env node
// Fuzz harness of the HTTP API: hostile inputs of every supported type (decompression bombs,
// truncations and mutations of valid JPEG/PNG/BMP/TIFF/WebP/GIF/PDF files, protocol abuse) sent to a
// started server for a bounded time. After every case it checks that:
//   - no answer is a 500 (or any 5xx but 503) and every JSON error body is { error, message, ... };
//   - GET /health/alive answers within 1 s;
//   - the server's RSS stays under --max-rss-mb;
//   - every job the case created ends completed or failed within --job-seconds, and its
//     ?format=pdf / ?format=txt answers 200, 404 or 422 (never 500).
// Usage: npm run build && node scripts/fuzz-api.mjs [URL] [--seconds 120] [--seed 1]
//        [--max-rss-mb 2500] [--job-seconds 120] [--verbose]
// Without a URL it starts dist/src/server.js on a free port (1 OCR worker, PDF heap 512 MB, short
// HTTP timeouts) and reads its RSS from /proc; with a URL, RSS comes from /health.
// Exit code 0 when every case passed, 1 otherwise (the failures are listed).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { caseSource } from './lib/fuzz-cases.mjs';
import { freePort } from './lib/free-port.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
const seconds = opt('--seconds', 120);
const seed = opt('--seed', Date.now() % 100000);
const maxRssMb = opt('--max-rss-mb', 2500);
const jobSeconds = opt('--job-seconds', 120);
const verbose = args.includes('--verbose');
let base = args.find((a) => /^https?:\/\//.test(a));

let server;
let serverLog = '';
if (!base) {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.resolve(import.meta.dirname, '../dist/src/server.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '0',
      OCR_WORKERS: process.env.OCR_WORKERS ?? '1',
      OCR_THREADS_PER_WORKER: process.env.OCR_THREADS_PER_WORKER ?? '1',
      PDF_RENDER_MEMORY_MB: '512',
      REQUEST_TIMEOUT: '15',
      HEADERS_TIMEOUT: '5',
      PAGE_TIMEOUT: '60',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d) => (serverLog = (serverLog + d).slice(-20_000));
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {}
    if (i > 600 || server.exitCode !== null) throw new Error(`server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function rssMb() {
  if (server) {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  }
  const h = await (await fetch(`${base}/health`, { signal: AbortSignal.timeout(5000) })).json();
  return h.ocr_service?.memory_usage?.rss_mb ?? 0;
}

async function aliveMs() {
  const t = performance.now();
  try {
    const res = await fetch(`${base}/health/alive`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok ? performance.now() - t : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Writes raw bytes, reads for up to 3 s; returns the status codes seen. */
function rawCase(bytes) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    let answer = '';
    const s = net.connect(Number(port), hostname, () => s.end(Buffer.from(bytes, 'latin1')));
    const done = () => resolve([...answer.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1])));
    s.setTimeout(3000, () => s.destroy());
    s.on('data', (d) => (answer += d.toString('latin1')));
    s.on('close', done);
    s.on('error', () => {});
  });
}

function checkBody(status, text, problems) {
  if (status >= 500 && status !== 503) problems.push(`answered ${status}: ${text.slice(0, 200)}`);
  if (status >= 400 && /^\s*\{/.test(text)) {
    try {
      const body = JSON.parse(text);
      if (typeof body.error !== 'string' || typeof body.message !== 'string')
        problems.push(`${status} body is not { error, message }: ${text.slice(0, 200)}`);
      if ('statusCode' in body) problems.push(`${status} body has extra framework fields: ${text.slice(0, 200)}`);
      if (typeof body.code !== 'string') problems.push(`${status} body has no error code: ${text.slice(0, 200)}`);
    } catch {
      problems.push(`${status} body is not JSON: ${text.slice(0, 100)}`);
    }
  }
}

async function request(method, p, init = {}) {
  const res = await fetch(`${base}${p}`, { method, ...init, signal: AbortSignal.timeout(90_000) });
  return { status: res.status, text: await res.text() };
}

/** Polls a job until it is finished; then its txt/pdf results must not be 5xx. */
async function settle(id, alsoPdf, problems) {
  const deadline = Date.now() + jobSeconds * 1000;
  for (;;) {
    const { status, text } = await request('GET', `/ocr/job/${id}`);
    if (status === 200) break;
    if (status !== 202) return problems.push(`polling job ${id}: ${status} ${text.slice(0, 100)}`);
    if (Date.now() > deadline) return problems.push(`job ${id} not finished after ${jobSeconds} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const format of alsoPdf ? ['json', 'txt', 'pdf'] : ['json']) {
    const r = await request('GET', `/ocr/job/${id}/result?format=${format}`);
    if (![200, 404, 422, 503].includes(r.status))
      problems.push(`format=${format} answered ${r.status}: ${r.text.slice(0, 200)}`);
    else checkBody(r.status, r.text, problems);
  }
}

async function runCase(c) {
  const problems = [];
  const jobs = [];
  let statuses = [];
  try {
    if (c.kind === 'raw') {
      statuses = await rawCase(c.raw);
      for (const s of statuses) if (s >= 500 && s !== 503) problems.push(`answered ${s}`);
    } else {
      let r;
      if (c.kind === 'request') r = await request(c.method, c.path, { headers: c.headers, body: c.body });
      else {
        const form = new FormData();
        form.append(c.route.startsWith('/ocr/batch') ? 'files' : 'file', new Blob([c.data]), 'fuzz.bin');
        r = await request('POST', c.route, { body: form });
      }
      statuses = [r.status];
      checkBody(r.status, r.text, problems);
      if (r.status === 202) {
        const body = JSON.parse(r.text);
        if (body.job_id) jobs.push(body.job_id);
        for (const j of body.jobs ?? []) if (j.job_id) jobs.push(j.job_id);
      }
    }
    for (const id of jobs) await settle(id, c.alsoPdf, problems);
  } catch (err) {
    problems.push(`request failed: ${err.message}`);
  }
  const alive = await aliveMs();
  if (alive > 1000) problems.push(`/health/alive did not answer within 1 s`);
  const rss = await rssMb();
  if (rss > maxRssMb) problems.push(`server RSS ${Math.round(rss)} MB over ${maxRssMb} MB`);
  if (server && server.exitCode !== null) problems.push(`server exited (${server.exitCode})`);
  return { problems, statuses, jobs: jobs.length, alive, rss };
}

const source = await caseSource(seed);
const stopAt = Date.now() + seconds * 1000;
const failures = [];
let n = 0;
let peakRss = 0;
let worstAlive = 0;
const byStatus = new Map();
console.log(`fuzz-api: seed ${seed}, ${seconds} s, ${source.total} fixed cases then mutations, against ${base}`);
while (Date.now() < stopAt) {
  const c = source.next();
  const t = Date.now();
  const r = await runCase(c);
  n++;
  peakRss = Math.max(peakRss, r.rss);
  worstAlive = Math.max(worstAlive, r.alive);
  for (const s of r.statuses) byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
  if (verbose || r.problems.length)
    console.log(
      `${r.problems.length ? 'FAIL' : 'ok  '} #${n} ${c.name}: ${r.statuses.join(',')} jobs=${r.jobs} ${Date.now() - t} ms rss=${Math.round(r.rss)} MB${r.problems.length ? `\n      ${r.problems.join('\n      ')}` : ''}`,
    );
  if (r.problems.length) failures.push({ n, name: c.name, problems: r.problems });
  if (server && server.exitCode !== null) break;
}
const statusList = [...byStatus]
  .sort((a, b) => a[0] - b[0])
  .map(([s, k]) => `${s}×${k}`)
  .join(' ');
console.log(
  `fuzz-api: ${n} cases (${Math.min(n, source.total)} of ${source.total} fixed), ${failures.length} failed; statuses ${statusList}; peak RSS ${Math.round(peakRss)} MB; slowest /health/alive ${Math.round(worstAlive)} ms`,
);
if (server) {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  if (failures.length) console.log(`server log (tail):\n${serverLog.slice(-4000)}`);
}
process.exit(failures.length ? 1 : 0);
