#!/usr/bin/env node
// Reading order: runs the engine over the corpus sets `layout`, `dev` and `dev2` (or takes the raw
// engine lines saved by an earlier run), puts each page's lines in reading order as the service
// does (`laidOut` of src/page/assemble.ts: tables found first, then src/layout) and prints the
// discordant share of `order.mjs` — for the engine's own order
// (top to bottom, the order before layout analysis) and for the layout's, in the same command.
//   node scripts/eval-order.mjs [--cache DIR] [--sets layout,dev,dev2] [--model SET]
// --cache DIR: DIR/<set>/<page>.json hold the engine's lines ({ lines }); pages missing there are
//   read with the engine and saved (so a second run only re-orders: seconds, not minutes).
// `order-set`: the multi-column pages of scripts/make-order-set.mjs (rendered into its cache;
//   ground truth in test/layout/order-set/), scored beside Tesseract's recorded figure per page.
// Needs `npm run build:ts` (dist/). THREADS=n sets the engine's intra-op threads (default 2).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    cache: { type: 'string' },
    sets: { type: 'string', default: 'layout,order-set,dev,dev2' },
    model: { type: 'string' },
  },
});
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const { laidOut } = await import('../dist/src/page/assemble.js');
const orderSet = await import('./make-order-set.mjs');
const { discordant } = await import('./lib/order.mjs');
const imgDir = (set) => (set === 'order-set' ? orderSet.render() : path.join(corpus, set));
const gtDir = (set) => (set === 'order-set' ? orderSet.GT_DIR : path.join(corpus, 'gt', set));
let engine, sharp;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'eval-order-'));

async function engineLines(set, file) {
  const name = file.replace(/\.[^.]+$/, '.json');
  const cached = opt.cache && path.join(opt.cache, set, name);
  if (cached && existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')).lines;
  if (!engine) {
    const { createEngine } = await import('../dist/src/native/engine.js');
    engine = await createEngine({ model: opt.model, intraOpThreads: Number(process.env.THREADS ?? 2) });
    sharp = (await import('sharp')).default;
  }
  const { data, info } = await sharp(path.join(imgDir(set), file))
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { lines } = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels });
  if (cached) {
    mkdirSync(path.dirname(cached), { recursive: true });
    writeFileSync(cached, JSON.stringify({ lines, width: info.width, height: info.height }));
  }
  return lines;
}

const score = (set, dir) => {
  if (set === 'order-set') return scoreOwn(set, dir);
  const out = execFileSync(process.execPath, [path.join(corpus, 'order.mjs'), path.join(corpus, 'gt', set), dir], {
    encoding: 'utf8',
  });
  const m = /discordant=([\d.]+) pages_over_5pct=(\d+)/.exec(out);
  return { discordant: Number(m[1]), over: Number(m[2]), text: out.trim() };
};

/** Pooled discordant share and pages over 5%, as order.mjs prints them, with the per-page shares. */
function scoreOwn(set, dir) {
  let pairs = 0;
  let disc = 0;
  const per = {};
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const gt = JSON.parse(readFileSync(path.join(gtDir(set), f), 'utf8'));
    const r = discordant(gt.lines, JSON.parse(readFileSync(path.join(dir, f), 'utf8')).lines);
    pairs += r.pairs;
    disc += r.discordant;
    per[f.replace('.json', '')] = r.share;
  }
  const over = Object.values(per).filter((v) => v > 0.05).length;
  const rows = Object.entries(per)
    .sort((a, b) => b[1] - a[1])
    .map(([p, v]) => `  ${p.padEnd(28)} ${v.toFixed(3)}`);
  return { discordant: disc / Math.max(1, pairs), over, per, text: rows.join('\n') };
}

let layoutMs = 0;
for (const set of opt.sets.split(',')) {
  const engineDir = path.join(tmp, set, 'engine');
  const layoutDir = path.join(tmp, set, 'layout');
  mkdirSync(engineDir, { recursive: true });
  mkdirSync(layoutDir, { recursive: true });
  for (const f of readdirSync(imgDir(set))
    .filter((x) => /\.(png|jpe?g)$/.test(x))
    .sort()) {
    const name = f.replace(/\.[^.]+$/, '.json');
    const lines = await engineLines(set, f);
    const gt = JSON.parse(readFileSync(path.join(gtDir(set), name), 'utf8'));
    writeFileSync(path.join(engineDir, name), JSON.stringify({ lines }));
    const t0 = performance.now();
    const l = laidOut(lines, gt.width, gt.height);
    layoutMs += performance.now() - t0;
    writeFileSync(path.join(layoutDir, name), JSON.stringify({ lines: l.lines, blocks: l.blocks }));
  }
  const before = score(set, engineDir);
  const after = score(set, layoutDir);
  console.log(
    `${set}: engine order discordant=${before.discordant.toFixed(4)} over5%=${before.over} | layout discordant=${after.discordant.toFixed(4)} over5%=${after.over}`,
  );
  if (set === 'order-set') {
    const tf = path.join(orderSet.GT_DIR, '_tesseract.json');
    const tess = existsSync(tf) ? JSON.parse(readFileSync(tf, 'utf8')).discordant : {};
    const t = Object.values(tess);
    const pooled =
      t.reduce((a, r) => a + r.discordant, 0) /
      Math.max(
        1,
        t.reduce((a, r) => a + r.pairs, 0),
      );
    console.log(
      `${set}: Tesseract (recorded) discordant=${pooled.toFixed(4)} over5%=${t.filter((r) => r.share > 0.05).length} of ${t.length} pages`,
    );
    if (process.env.VERBOSE)
      for (const [p, v] of Object.entries(after.per))
        console.log(`  ${p.padEnd(28)} layout ${v.toFixed(3)} tesseract ${tess[p]?.share.toFixed(3) ?? '-'}`);
  }
  if (process.env.VERBOSE) console.log(after.text);
}
console.log(`layout time ${layoutMs.toFixed(0)} ms in all; predictions in ${tmp}`);
