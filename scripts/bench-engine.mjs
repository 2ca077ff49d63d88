#!/usr/bin/env node
// Engine benchmark on corpus pages (decode excluded unless said otherwise).
// Prints, per page and in total, time inside ONNX Runtime Run vs outside it at 1 intra-op thread;
// pages/s at 1 and 2 threads and with 2 worker threads of 1 thread each; and the pages/s ratio
// against @gutenye/ocr-node (same PP-OCRv4 models, JavaScript pre/post-processing) in this run.
// Usage: node scripts/bench-engine.mjs [--pages N] [--gutenye-pages N] [--set dev]
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';

import { createEngine } from '../dist/src/native/engine.js';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '6' },
    'gutenye-pages': { type: 'string', default: '3' },
    set: { type: 'string', default: 'dev' },
  },
});
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const dir = path.join(corpus, values.set);
const files = readdirSync(dir)
  .sort()
  .slice(0, Number(values.pages))
  .map((f) => path.join(dir, f));
const decode = async (f) => {
  const { data, info } = await sharp(f).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
};
const pages = await Promise.all(files.map(decode));
const ms = (x) => x.toFixed(0).padStart(7);

// 1 thread: inside vs outside Run
const e1 = await createEngine({ intraOpThreads: 1 });
await e1.recognize(pages[0]); // warm-up
let inRun = 0,
  total = 0;
console.log(`engine, 1 intra-op thread, ${pages.length} pages of ${values.set}`);
console.log('page                          total ms  in Run ms  outside ms  outside %');
const t1 = performance.now();
for (let i = 0; i < pages.length; i++) {
  const r = await e1.recognize(pages[i]);
  inRun += r.timings.ortRun;
  total += r.timings.total;
  const out = r.timings.total - r.timings.ortRun;
  console.log(
    `${path.basename(files[i]).padEnd(28)} ${ms(r.timings.total)}  ${ms(r.timings.ortRun)}   ${ms(out)}   ${((100 * out) / r.timings.total).toFixed(1).padStart(6)}`,
  );
}
const wall1 = (performance.now() - t1) / 1000;
console.log(
  `${'total'.padEnd(28)} ${ms(total)}  ${ms(inRun)}   ${ms(total - inRun)}   ${((100 * (total - inRun)) / total).toFixed(1).padStart(6)}`,
);

async function pagesPerSecond(threads) {
  const e = await createEngine({ intraOpThreads: threads });
  await e.recognize(pages[0]);
  const t = performance.now();
  for (const p of pages) await e.recognize(p);
  return pages.length / ((performance.now() - t) / 1000);
}
const pps1 = pages.length / wall1;
const pps2 = await pagesPerSecond(2);

// 2 workers x 1 thread, pages dealt round-robin
const engineUrl = new URL('../dist/src/native/engine.js', import.meta.url).href;
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { createEngine } = await import(workerData.engineUrl);
  const e = await createEngine({ intraOpThreads: 1 });
  await e.recognize(workerData.pages[0]);
  parentPort.postMessage('ready');
  await new Promise((r) => parentPort.once('message', r));
  for (const p of workerData.pages) await e.recognize(p);
  parentPort.postMessage('done');
})();`;
const workers = [0, 1].map(
  (w) => new Worker(WORKER, { eval: true, workerData: { engineUrl, pages: pages.filter((_, i) => i % 2 === w) } }),
);
await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
const tw = performance.now();
const done = Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
workers.forEach((w) => w.postMessage('go'));
await done;
const ppsW = pages.length / ((performance.now() - tw) / 1000);
await Promise.all(workers.map((w) => w.terminate()));

console.log(
  `\npages/s  1 thread: ${pps1.toFixed(3)}   2 threads: ${pps2.toFixed(3)}   2 workers x 1 thread: ${ppsW.toFixed(3)}`,
);
console.log(`outside Run at 1 thread: ${((100 * (total - inRun)) / total).toFixed(1)}% of engine time (target <= 10%)`);

// @gutenye/ocr-node on the same pages, 2 intra-op threads, including its own decode; ours likewise
const n = Math.min(Number(values['gutenye-pages']), files.length);
if (n > 0) {
  let Ocr;
  try {
    Ocr = (await import('@gutenye/ocr-node')).default;
  } catch (err) {
    console.log(`@gutenye/ocr-node unavailable: ${err.message}`);
  }
  if (Ocr) {
    const g = await Ocr.create({ onnxOptions: { intraOpNumThreads: 2, interOpNumThreads: 1 } });
    await g.detect(files[0]);
    const tg = performance.now();
    for (const f of files.slice(0, n)) await g.detect(f);
    const ppsG = n / ((performance.now() - tg) / 1000);
    const e2 = await createEngine({ intraOpThreads: 2 });
    const to = performance.now();
    for (const f of files.slice(0, n)) await e2.recognize(await decode(f));
    const ppsO = n / ((performance.now() - to) / 1000);
    console.log(
      `\nsame ${n} pages incl. decode, 2 threads: ours ${ppsO.toFixed(3)} pages/s, @gutenye/ocr-node ${ppsG.toFixed(3)} pages/s, ratio ${(ppsO / ppsG).toFixed(2)}x (target >= 1.5x)`,
    );
  }
}
