#!/usr/bin/env node
// Runs the engine over a corpus set, writes one prediction JSON per page and prints the scorer's
// figures. Usage: node scripts/eval-corpus.mjs [dev|dev-degraded] [--out DIR] [--opt key=value ...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

import { createEngine } from '../dist/src/native/engine.js';

const args = process.argv.slice(2);
const set = args.find((a) => !a.startsWith('--') && !a.includes('=')) ?? 'dev';
const outIdx = args.indexOf('--out');
const out = outIdx >= 0 ? args[outIdx + 1] : path.join(os.tmpdir(), `ocr-pred-${set}-${process.pid}`);
const opts = {};
for (const a of args.filter((x) => x.includes('=') && !x.startsWith('--'))) {
  const [k, v] = a.split('=');
  opts[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
}
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const dir = path.join(corpus, set);
mkdirSync(out, { recursive: true });
const engine = await createEngine({ intraOpThreads: Number(process.env.THREADS ?? 2) });
let ort = 0, total = 0;
for (const f of readdirSync(dir).sort()) {
  const { data, info } = await sharp(path.join(dir, f)).raw().toBuffer({ resolveWithObject: true });
  const r = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels }, opts);
  ort += r.timings.ortRun; total += r.timings.total;
  writeFileSync(path.join(out, f.replace(/\.[^.]+$/, '.json')), JSON.stringify({ lines: r.lines }));
}
const scoreArgs = [path.join(corpus, 'score.mjs'), path.join(corpus, 'gt', set), out];
if (set.includes('degraded')) scoreArgs.push('--box-field', 'bbox_rot');
if (process.env.PER_PAGE) scoreArgs.push('--per-page');
const report = execFileSync(process.execPath, scoreArgs, { encoding: 'utf8' });
console.log(report.trim());
console.log(`engine ms total=${total.toFixed(0)} ortRun=${ort.toFixed(0)} opts=${JSON.stringify(opts)} out=${out}`);
