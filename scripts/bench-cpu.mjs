#!/usr/bin/env node
// CPU throughput on dense pages, this service against Tesseract, in one run (issue 12).
// Starts dist/src/server.js with its defaults, submits every page of the chosen corpus sets at
// once through POST /ocr/image, and waits for all of them; then runs Tesseract 5 (Debian
// tesseract-ocr, `-l eng --psm 3`) on the same pages as N processes of one thread each
// (OMP_THREAD_LIMIT=1). Prints pages/s of both and the ratio, word F1 and page CER of both with the
// corpus scorer, and, from an engine pass with the server's defaults, ms per page of each stage and
// recognition ms per 1,000 recognized characters.
// Usage: node scripts/bench-cpu.mjs [--sets dev,dev2] [--pages N] [--min-chars N] [--tesseract-procs 2] [--no-stages]
//        [--env KEY=VALUE ...]   (server environment, e.g. --env OCR_WORKERS=2 --env OCR_THREADS_PER_WORKER=1)
// --min-chars N: only the pages whose ground truth holds at least N characters (--min-chars 2000: the
//   25 dense pages of dev + dev2, 2,000-4,200 characters and 38-72 lines each).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import sharp from 'sharp';

import { CORPUS as corpus, corpusPages } from './lib/corpus-pages.mjs';
import { startServer as spawnServer } from './lib/start-server.mjs';

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: 'dev,dev2' },
    pages: { type: 'string', default: '0' },
    'min-chars': { type: 'string', default: '0' },
    'tesseract-procs': { type: 'string', default: '2' },
    'no-stages': { type: 'boolean', default: false },
    'no-tesseract': { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const sets = values.sets.split(',');
const pages = corpusPages(sets, { minChars: Number(values['min-chars']), limit: Number(values.pages) });
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-cpu-'));

// Ground truth of the pages benchmarked only, so that --pages scores what was run.
function gtDir(set) {
  const dir = path.join(work, 'gt', set);
  mkdirSync(dir, { recursive: true });
  for (const p of pages.filter((q) => q.set === set)) {
    const name = p.file.replace(/\.[^.]+$/, '.json');
    writeFileSync(path.join(dir, name), readFileSync(path.join(corpus, 'gt', set, name)));
  }
  return dir;
}

function score(set, dir) {
  const args = [path.join(corpus, 'score.mjs'), gtDir(set), dir];
  if (set.includes('degraded')) args.push('--box-field', 'bbox_rot');
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  const m = /cer=([\d.]+) wordF1=([\d.]+) pages=(\d+)/.exec(out);
  return { cer: Number(m[1]), wordF1: Number(m[2]), pages: Number(m[3]) };
}

async function startServer() {
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    RATE_LIMIT_PER_MINUTE: '0',
    QUEUE_MAX: '10000',
    REDIS_CACHE_TTL: '0',
    LOG_LEVEL: 'warn',
  };
  delete env.REDIS_URL;
  for (const kv of values.env) {
    const i = kv.indexOf('=');
    env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  env.LOG_LEVEL = 'info';
  const { child, url } = await spawnServer(env);
  for (;;) {
    if ((await fetch(`${url}/health/ready`)).status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const health = await (await fetch(`${url}/health`)).json();
  return { child, url, health };
}

async function runService() {
  const server = await startServer();
  try {
    const t0 = performance.now();
    const ids = await Promise.all(
      pages.map(async (p) => {
        const form = new FormData();
        form.append('file', new Blob([readFileSync(p.path)]), p.file);
        const res = await fetch(`${server.url}/ocr/image`, { method: 'POST', body: form });
        if (res.status !== 202) throw new Error(`${p.file}: ${res.status} ${await res.text()}`);
        return (await res.json()).job_id;
      }),
    );
    const results = new Array(ids.length);
    let left = ids.length;
    while (left > 0) {
      await new Promise((r) => setTimeout(r, 250));
      await Promise.all(
        ids.map(async (id, i) => {
          if (results[i]) return;
          const res = await fetch(`${server.url}/ocr/job/${id}/result`);
          if (res.status === 202) return;
          results[i] = await res.json();
          if (res.status !== 200) throw new Error(`${pages[i].file}: ${res.status} ${JSON.stringify(results[i])}`);
          left--;
        }),
      );
    }
    const seconds = (performance.now() - t0) / 1000;
    const out = path.join(work, 'service');
    for (const set of sets) mkdirSync(path.join(out, set), { recursive: true });
    pages.forEach((p, i) =>
      writeFileSync(
        path.join(out, p.set, p.file.replace(/\.[^.]+$/, '.json')),
        JSON.stringify({ lines: results[i].lines }),
      ),
    );
    return { seconds, out, workers: server.health.workers };
  } finally {
    server.child.kill('SIGTERM');
  }
}

function tesseractLines(tsv) {
  const lines = new Map();
  for (const row of tsv.split('\n').slice(1)) {
    const c = row.split('\t');
    if (c.length < 12 || c[0] !== '5' || !c[11].trim()) continue;
    const key = `${c[2]}.${c[3]}.${c[4]}`;
    const [x, y, w, h] = c.slice(6, 10).map(Number);
    const l = lines.get(key) ?? { words: [], box: [x, y, x + w, y + h] };
    l.words.push(c[11]);
    l.box = [Math.min(l.box[0], x), Math.min(l.box[1], y), Math.max(l.box[2], x + w), Math.max(l.box[3], y + h)];
    lines.set(key, l);
  }
  return [...lines.values()].map((l) => ({ text: l.words.join(' '), bbox: l.box }));
}

/** Debian's tesseract-ocr (with its English model), installed when missing and we are root. */
function ensureTesseract() {
  const has = () => spawnSync('tesseract', ['--version'], { stdio: 'ignore' }).status === 0;
  if (has()) return;
  if (process.getuid?.() !== 0)
    throw new Error('tesseract is not installed: apt-get install tesseract-ocr (or pass --no-tesseract)');
  console.log('installing tesseract-ocr (apt-get)...');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'tesseract-ocr'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!has()) throw new Error('tesseract-ocr could not be installed');
}

async function runTesseract(procs) {
  ensureTesseract();
  const out = path.join(work, 'tesseract');
  for (const set of sets) mkdirSync(path.join(out, set), { recursive: true });
  const queue = [...pages];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: procs }, async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        const tsv = await new Promise((resolve, reject) => {
          const child = spawn('tesseract', [p.path, 'stdout', '--psm', '3', '-l', 'eng', 'tsv'], {
            env: { ...process.env, OMP_THREAD_LIMIT: '1' },
            stdio: ['ignore', 'pipe', 'ignore'],
          });
          let s = '';
          child.stdout.on('data', (d) => (s += d));
          child.on('exit', (code) =>
            code === 0 ? resolve(s) : reject(new Error(`tesseract ${p.file}: exit ${code}`)),
          );
          child.on('error', reject);
        });
        writeFileSync(
          path.join(out, p.set, p.file.replace(/\.[^.]+$/, '.json')),
          JSON.stringify({ lines: tesseractLines(tsv) }),
        );
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, out };
}

async function stages() {
  const { createEngine } = await import('../dist/src/native/engine.js');
  const engine = await createEngine({ intraOpThreads: 2 });
  const sum = { preprocess: 0, det: 0, postprocess: 0, cls: 0, rec: 0, ortRun: 0, total: 0 };
  let chars = 0;
  for (const p of pages) {
    const { data, info } = await sharp(p.path).raw().toBuffer({ resolveWithObject: true });
    const r = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels });
    for (const k of Object.keys(sum)) sum[k] += r.timings[k];
    chars += r.lines.reduce((s, l) => s + [...l.text].length, 0);
  }
  return {
    perPage: Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v / pages.length])),
    recPer1000: (sum.rec / chars) * 1000,
  };
}

console.log(
  `${pages.length} pages (${sets.join(', ')}${Number(values['min-chars']) > 0 ? `, at least ${values['min-chars']} characters` : ''}), ${os.availableParallelism()} CPUs`,
);
const svc = await runService();
const svcRate = pages.length / svc.seconds;
console.log(
  `service (${svc.workers.threads} workers x ${svc.workers.threads_per_worker} threads): ${svcRate.toFixed(3)} pages/s (${svc.seconds.toFixed(1)} s)`,
);
let tes;
if (!values['no-tesseract']) {
  tes = await runTesseract(Number(values['tesseract-procs']));
  const rate = pages.length / tes.seconds;
  console.log(
    `tesseract (${values['tesseract-procs']} processes x 1 thread): ${rate.toFixed(3)} pages/s (${tes.seconds.toFixed(1)} s)`,
  );
  console.log(
    `ratio service / tesseract: ${(svcRate / rate).toFixed(3)} (tesseract ${(rate / svcRate).toFixed(2)}x the service's pages/s)`,
  );
}
for (const set of sets.filter((x) => pages.some((p) => p.set === x))) {
  const s = score(set, path.join(svc.out, set));
  const t = tes ? score(set, path.join(tes.out, set)) : undefined;
  console.log(
    `${set}: service wordF1 ${s.wordF1} cer ${s.cer}` +
      (t ? ` | tesseract wordF1 ${t.wordF1} cer ${t.cer}` : '') +
      ` (${s.pages} pages)`,
  );
}
if (!values['no-stages']) {
  const st = await stages();
  console.log(
    `engine ms per page (2 threads): ${Object.entries(st.perPage)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(', ')}`,
  );
  console.log(`recognition ms per 1,000 characters: ${st.recPer1000.toFixed(0)}`);
}
