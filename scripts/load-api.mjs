#!/usr/bin/env node
// Load test of the API with autocannon. Starts the built server (dist/src/server.js) on a free port
// unless a URL is given, then measures:
//   1. submissions: POST /ocr/image with a distinct image each time (no cache hits), so the OCR
//      pool stays busy: submissions/s and p50/p99 latency of the 202s;
//   2. cached submissions: the same image again and again (cache hits, `cached: true`);
//   3. cached results: GET /ocr/job/:id/result of a finished job.
// Usage: node scripts/load-api.mjs [URL] [--duration S] [--connections N]
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

import autocannon from 'autocannon';
import sharp from 'sharp';

const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def);
const duration = opt('--duration', 10);
const connections = opt('--connections', 16);
let base = args.find((a) => /^https?:/.test(a));

let server;
if (!base) {
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.resolve(import.meta.dirname, '../dist/src/server.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '0',
      QUEUE_MAX: '1000000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {}
    if (i > 200) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const png = await sharp(
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="160"><rect width="100%" height="100%" fill="white"/>' +
      '<text x="20" y="60" font-family="DejaVu Sans" font-size="32">Invoice 2024-118 total 1,234.56</text>' +
      '<text x="20" y="120" font-family="DejaVu Sans" font-size="32">Due within thirty days</text></svg>',
  ),
)
  .png()
  .toBuffer();

const boundary = '----load-api-boundary';
const head = Buffer.from(
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="load.png"\r\nContent-Type: image/png\r\n\r\n`,
);
const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
let seq = 0;
// Bytes after PNG's IEND chunk are ignored by decoders but change the sha256: a distinct job each time.
const uniqueBody = () => Buffer.concat([head, png, Buffer.from(`${process.pid}-${seq++}-${Math.random()}`), tail]);
const fixedBody = Buffer.concat([head, png, tail]);
const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };

function run(title, opts) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base + (opts.path ?? '/'), duration, connections, ...opts }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  }).then((r) => {
    const ok = r['2xx'];
    console.log(
      `${title.padEnd(38)} ${(ok / r.duration).toFixed(1).padStart(8)} req/s (2xx)  p50 ${String(r.latency.p50).padStart(4)} ms  ` +
        `p99 ${String(r.latency.p99).padStart(4)} ms  2xx=${ok} non2xx=${r.non2xx} errors=${r.errors} timeouts=${r.timeouts}` +
        (r.non2xx
          ? ` statuses=${JSON.stringify(Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])))}`
          : ''),
    );
    return r;
  });
}

async function waitDone(id) {
  for (;;) {
    const r = await fetch(`${base}/ocr/job/${id}`);
    if (r.status === 200) return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

console.log(`target ${base}, ${connections} connections, ${duration} s per phase`);
const health = await (await fetch(`${base}/health`)).json();
console.log(`workers: ${health.workers.threads} x ${health.workers.threads_per_worker} ORT threads`);

// Prime the cache with the fixed image first, so the cached phases do not wait behind the backlog.
const primed = await (await fetch(`${base}/ocr/image`, { method: 'POST', headers, body: fixedBody })).json();
await waitDone(primed.job_id);

await run('submissions (distinct images, pool busy)', {
  method: 'POST',
  headers,
  path: '/ocr/image',
  requests: [{ method: 'POST', path: '/ocr/image', setupRequest: (req) => ({ ...req, body: uniqueBody() }) }],
});
const queued = async () => (await (await fetch(`${base}/health`)).json()).queue.queued;
const backlog = await queued();
const t0 = performance.now();
console.log(`  backlog after phase: ${backlog} jobs waiting`);

await run('cached submissions (same image)', { method: 'POST', path: '/ocr/image', headers, body: fixedBody });
await run('cached results (GET /ocr/job/:id/result)', { method: 'GET', path: `/ocr/job/${primed.job_id}/result` });

const drained = backlog - (await queued());
console.log(
  `OCR throughput while serving the cached phases: ${(drained / ((performance.now() - t0) / 1000)).toFixed(1)} jobs/s`,
);
if (server) {
  server.kill('SIGKILL');
}
process.exit(0);
