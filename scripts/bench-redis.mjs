#!/usr/bin/env node
// Redis-mode benchmark (issue 5), on a throwaway redis-server:
//  1. jobs/s with 1 and 2 worker processes (OCR_WORKERS=1 each) behind one API replica, for a
//     small generated text image, cache off (distinct images);
//  2. the latency Redis mode adds over embedded mode for one job at a time (submit -> result
//     polled every 5 ms), p50 and p99, both with one OCR thread in the API process.
// Usage: node scripts/bench-redis.mjs [--jobs 40] [--latency 40]   (after npx tsc -p tsconfig.json)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

import sharp from 'sharp';
import { freePort } from './lib/free-port.mjs';

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '40' }, latency: { type: 'string', default: '40' } },
});
const JOBS = Number(values.jobs);
const LAT = Number(values.latency);
const root = path.resolve(import.meta.dirname, '..');
const SERVER = path.join(root, 'dist/src/server.js');
const WORKER = path.join(root, 'dist/src/worker-main.js');
const procs = [];

function start(cmd, args, env, readyText) {
  const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(p);
  let logs = '';
  return new Promise((resolve, reject) => {
    const on = (d) => {
      logs += d;
      if (logs.includes(readyText)) resolve(p);
    };
    p.stdout.on('data', on);
    p.stderr.on('data', on);
    p.once('exit', (code) =>
      reject(new Error(`${path.basename(args[0] ?? cmd)} exited (${code}): ${logs.slice(-1000)}`)),
    );
  });
}

const stop = (p) => new Promise((r) => (p.exitCode !== null ? r() : (p.once('exit', r), p.kill('SIGKILL'))));

async function startRedis() {
  const port = await freePort();
  await start(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {},
    'Ready to accept connections',
  );
  return `redis://127.0.0.1:${port}`;
}

async function startApi(env) {
  const port = await freePort();
  const common = {
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
    REDIS_CACHE_TTL: '0',
    QUEUE_MAX: '10000',
    OCR_WORKERS: '1',
    OCR_THREADS_PER_WORKER: '1',
  };
  const p = await start(process.execPath, [SERVER], { ...common, ...env }, 'Server listening');
  return { p, base: `http://127.0.0.1:${port}` };
}

let n = 0;
const image = () =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="80"><rect width="100%" height="100%" fill="white"/><text x="16" y="52" font-family="DejaVu Sans" font-size="30">Invoice ${++n} paid</text></svg>`,
    ),
  )
    .png()
    .toBuffer();

async function submit(base, png) {
  const form = new FormData();
  form.append('file', new Blob([png]), 'b.png');
  const res = await fetch(`${base}/ocr/image`, { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`submit: ${res.status} ${await res.text()}`);
  return (await res.json()).job_id;
}

async function wait(base, id, every = 5) {
  for (;;) {
    const res = await fetch(`${base}/ocr/job/${id}`);
    if (res.status === 200) {
      const body = await res.json();
      if (body.status !== 'completed') throw new Error(`job ${id} ${body.status}`);
      return;
    }
    await new Promise((r) => setTimeout(r, every));
  }
}

async function throughput(redisUrl, workers) {
  const prefix = `bench${workers}`;
  const env = {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    OCR_WORKERS: '1',
    OCR_THREADS_PER_WORKER: '1',
    LOG_LEVEL: 'info',
    REDIS_CACHE_TTL: '0',
  };
  const api = await startApi({ ...env, WORKER_IN_PROCESS: 'false' });
  const ws = await Promise.all(
    Array.from({ length: workers }, () => start(process.execPath, [WORKER], env, 'taking jobs from Redis')),
  );
  const pngs = await Promise.all(Array.from({ length: JOBS }, image));
  await wait(api.base, await submit(api.base, await image())); // warm-up
  const t0 = performance.now();
  const ids = [];
  for (const png of pngs) ids.push(await submit(api.base, png));
  await Promise.all(ids.map((id) => wait(api.base, id, 20)));
  const s = (performance.now() - t0) / 1000;
  await Promise.all([api.p, ...ws].map(stop));
  return JOBS / s;
}

const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};

async function latency(env) {
  const api = await startApi(env);
  const pngs = await Promise.all(Array.from({ length: LAT + 3 }, image));
  const times = [];
  for (const [i, png] of pngs.entries()) {
    const t0 = performance.now();
    await wait(api.base, await submit(api.base, png));
    if (i >= 3) times.push(performance.now() - t0); // 3 warm-ups
  }
  await stop(api.p);
  return { p50: pct(times, 0.5), p99: pct(times, 0.99) };
}

try {
  const redisUrl = await startRedis();
  const one = await throughput(redisUrl, 1);
  const two = await throughput(redisUrl, 2);
  console.log(`throughput, ${JOBS} jobs, small image (360x80 px, one text line), cache off:`);
  console.log(`  1 worker process : ${one.toFixed(2)} jobs/s`);
  console.log(`  2 worker processes: ${two.toFixed(2)} jobs/s (x${(two / one).toFixed(2)})`);
  const emb = await latency({});
  const red = await latency({ REDIS_URL: redisUrl, REDIS_PREFIX: 'benchlat', WORKER_IN_PROCESS: 'true' });
  const f = (x) => `${x.toFixed(1)} ms`;
  console.log(`one job at a time, submit -> completed (${LAT} jobs, polled every 5 ms):`);
  console.log(`  embedded  : p50 ${f(emb.p50)}, p99 ${f(emb.p99)}`);
  console.log(`  Redis mode: p50 ${f(red.p50)}, p99 ${f(red.p99)}`);
  console.log(`  added by Redis mode: p50 +${f(red.p50 - emb.p50)}, p99 +${f(red.p99 - emb.p99)}`);
} finally {
  await Promise.all(procs.map(stop));
}
