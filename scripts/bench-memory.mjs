#!/usr/bin/env node
// 500 recognitions of one corpus page in one process: RSS after the last vs after the 50th.
// Usage: node scripts/bench-memory.mjs [--runs 500] [--page FILE]
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

import { createEngine } from '../dist/src/native/engine.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '500' },
    page: { type: 'string' },
    'det-limit': { type: 'string', default: '960' },
  },
});
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const file = values.page ?? path.join(corpus, 'dev', 'cvs-paper_p002.png');
const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
const engine = await createEngine({ intraOpThreads: 2 });
const runs = Number(values.runs);
const mb = (b) => (b / 2 ** 20).toFixed(1);
let rss50 = 0;
const t = performance.now();
for (let i = 1; i <= runs; i++) {
  // The page is re-wrapped each time, as a server hands over a new buffer per request.
  await engine.recognize(
    { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels },
    { detLimitSideLen: Number(values['det-limit']) },
  );
  if (i === 50) rss50 = process.memoryUsage.rss();
  if (i % 50 === 0)
    console.log(
      `run ${String(i).padStart(4)}  rss ${mb(process.memoryUsage.rss())} MB  heap ${mb(process.memoryUsage().heapUsed)} MB`,
    );
}
const rssEnd = process.memoryUsage.rss();
console.log(`\n${runs} recognitions of ${path.basename(file)} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
console.log(
  `RSS after run 50: ${mb(rss50)} MB, after run ${runs}: ${mb(rssEnd)} MB, ratio ${(rssEnd / rss50).toFixed(3)} (target <= 1.05)`,
);
