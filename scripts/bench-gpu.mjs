#!/usr/bin/env node
// CUDA vs CPU on the same pages: per-stage timings, pages/s, and whether the texts agree.
// Usage: node scripts/bench-gpu.mjs PAGE... [--repeat N] [--cpu-threads N]
// PAGE: a binary PGM (decoded without dependencies) or any image sharp reads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { createEngine } from '../dist/src/native/engine.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { repeat: { type: 'string', default: '5' }, 'cpu-threads': { type: 'string', default: '8' }, 'rec-batch': { type: 'string', default: '64' } },
});

async function load(file) {
  const buf = readFileSync(file);
  if (buf.subarray(0, 2).toString() === 'P5') {
    const header = buf.subarray(0, 64).toString('latin1').split(/\s+/);
    const [w, h, max] = header.slice(1, 4).map(Number);
    const offset = buf.indexOf(String(max), buf.indexOf(String(h), 2) + 1) + String(max).length + 1;
    return { data: new Uint8Array(buf.subarray(offset, offset + w * h)), width: w, height: h, channels: 1 };
  }
  const { default: sharp } = await import('sharp');
  const { data, info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

const pages = await Promise.all(positionals.map(load));
const repeat = Number(values.repeat);
const opts = { recBatchSize: Number(values['rec-batch']) };

async function run(label, engine) {
  const first = [];
  for (const p of pages) first.push(await engine.recognize(p, opts)); // warm-up, and the texts
  const sum = { det: 0, rec: 0, ortRun: 0, total: 0 };
  const t = performance.now();
  for (let i = 0; i < repeat; i++) {
    for (const p of pages) {
      const r = await engine.recognize(p, opts);
      for (const k of Object.keys(sum)) sum[k] += r.timings[k];
    }
  }
  const n = repeat * pages.length;
  const pps = n / ((performance.now() - t) / 1000);
  console.log(`${label.padEnd(22)} det ${(sum.det / n).toFixed(1)} ms  rec ${(sum.rec / n).toFixed(1)} ms  ort ${(sum.ortRun / n).toFixed(1)} ms  total ${(sum.total / n).toFixed(1)} ms/page  ${pps.toFixed(2)} pages/s`);
  return { pps, texts: first.map((r) => r.lines.map((l) => l.text)) };
}

const cuda = await createEngine({ executionProvider: 'cuda' });
const gpu = await run('cuda', cuda);
const cpu = await run(`cpu x${values['cpu-threads']} threads`, await createEngine({ intraOpThreads: Number(values['cpu-threads']) }));
let same = 0, total = 0;
gpu.texts.forEach((lines, i) => lines.forEach((t, j) => { total++; if (cpu.texts[i][j] === t) same++; }));
console.log(`lines: ${total} on GPU, ${cpu.texts.flat().length} on CPU; identical text on ${same}/${total}`);
console.log(`GPU/CPU throughput: ${(gpu.pps / cpu.pps).toFixed(2)}x  (pages: ${positionals.map((p) => path.basename(p)).join(', ')})`);
