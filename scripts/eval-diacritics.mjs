#!/usr/bin/env node
// Accent restoration must never hurt: per page, word F1 with the defaults against diacritics=false,
// on the same engine output, and the set figures of both.
//   node scripts/eval-diacritics.mjs [set ...] [--from DIR] [--save DIR] [--lang auto|gt|CODE]
// sets: default dev dev2 dev2-degraded dev-degraded. --from DIR: raw predictions saved by
// `eval-corpus.mjs SET --lang none --out DIR/SET` (seconds instead of minutes); --save DIR: keep
// the raw engine output there for later --from runs. Exit code 1 when a page falls below the bar
// (default F1 < diacritics=false F1 - 0.002).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { compareRestoration } from './lib/accent-bar.mjs';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string' },
    save: { type: 'string' },
    lang: { type: 'string', default: 'auto' },
    model: { type: 'string' },
  },
});
const sets = positionals.length ? positionals : ['dev', 'dev2', 'dev2-degraded', 'dev-degraded'];
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const BAR = 0.002;

const { postprocessLines } = await import('../dist/src/lang/index.js');
const { postprocessSettings } = await import('../dist/src/lang/resolve.js');
let engine;
if (!opt.from) {
  const { createEngine } = await import('../dist/src/native/engine.js');
  engine = await createEngine({ model: opt.model, intraOpThreads: Number(process.env.THREADS ?? 2) });
}
const sharp = opt.from ? undefined : (await import('sharp')).default;
const settings = postprocessSettings(engine ? engine.modelSet : (opt.model ?? 'pp-ocrv6-tiny'));

let failed = 0;
for (const set of sets) {
  const pages = new Map();
  const langs = new Map();
  for (const f of readdirSync(path.join(corpus, set)).sort()) {
    const name = f.replace(/\.[^.]+$/, '');
    langs.set(name, JSON.parse(readFileSync(path.join(corpus, 'gt', set, `${name}.json`), 'utf8')).lang);
    if (opt.from) {
      pages.set(name, JSON.parse(readFileSync(path.join(opt.from, set, `${name}.json`), 'utf8')).lines);
      continue;
    }
    const { data, info } = await sharp(path.join(corpus, set, f))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const r = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels });
    pages.set(name, r.lines);
    if (opt.save) {
      mkdirSync(path.join(opt.save, set), { recursive: true });
      writeFileSync(path.join(opt.save, set, `${name}.json`), JSON.stringify({ lines: r.lines }));
    }
  }
  // --lang gt: each page with its ground truth's language (one pass per language present).
  const groups =
    opt.lang === 'gt'
      ? [...new Set(langs.values())].map((l) => [l, [...pages].filter(([n]) => langs.get(n) === l)])
      : [[opt.lang, [...pages]]];
  const rows = [];
  const sums = [];
  for (const [lang, group] of groups) {
    const r = compareRestoration({ corpus, set, pages: new Map(group), postprocessLines, settings, lang });
    rows.push(...r.rows);
    sums.push(r);
  }
  console.log(`\n[${set}] page                      lang  gt  restored  F1 default  F1 no-diacritics  delta`);
  for (const r of rows.sort((a, b) => a.page.localeCompare(b.page))) {
    const d = r.on - r.off;
    const bad = d < -BAR;
    if (bad) failed++;
    console.log(
      `  ${r.page.padEnd(28)} ${r.language.padEnd(4)} ${langs.get(r.page).padEnd(3)} ${String(r.restored).padStart(8)}  ${r.on.toFixed(4)}      ${r.off.toFixed(4)}            ${d >= 0 ? '+' : ''}${d.toFixed(4)}${bad ? '  BELOW BAR' : ''}`,
    );
  }
  if (sums.length === 1) console.log(`  default:         ${sums[0].on}\n  diacritics=false: ${sums[0].off}`);
  const worst = Math.min(...rows.map((r) => r.on - r.off));
  console.log(`  worst page delta ${worst.toFixed(4)} (bar -${BAR})`);
}
console.log(failed ? `\n${failed} page(s) below the bar` : '\nevery page at or above the bar');
process.exitCode = failed ? 1 : 0;
