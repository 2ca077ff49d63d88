#!/usr/bin/env node
// Table finding on the corpus: runs the engine over the `tables` set (and, for false positives,
// dev2's prose-only pages and the `layout` set), builds tables as the service does (src/tables),
// writes one prediction JSON per page and prints the scorer's figures (../shared/corpus/tables/teds.mjs:
// TEDS, TEDS-struct, detection precision/recall) and the tables found where there are none.
//   node scripts/eval-tables.mjs [--out DIR] [--cache DIR] [--json FILE] [--no-layout]
// --no-layout: skip the `layout` set's pages (false positives on multi-column pages; not a bar).
// --cache DIR: the engine's raw output per page is kept there and reused on the next run (table
//   changes are then measured in seconds).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    out: { type: 'string' },
    cache: { type: 'string' },
    json: { type: 'string' },
    'no-layout': { type: 'boolean', default: false },
  },
});
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const out = opt.out ?? path.join(os.tmpdir(), `ocr-tables-${process.pid}`);
// dev2 pages with no table at all (prose, lists, code listings, boxed listings): a table found
// there is a false one. gnuplot's ruled operator tables, lshort-it's typeset tabulars and the
// slides' command table are left out.
const PROSE_PAGES = [
  'asymptote_p081',
  'asymptote_p105',
  'asymptote_p134',
  'asymptote_p160',
  'devref-de_p031',
  'devref-de_p047',
  'devref-de_p092',
  'devref-fr_p024',
  'devref-fr_p044',
  'devref-fr_p074',
  'lshort-pl_p021',
  'lshort-pl_p036',
  'lshort-pl_p045',
  'tlguide-cs_p012',
  'tlguide-cs_p044',
  'tlguide-es_p009',
  'tlguide-es_p027',
];
const { findTables } = await import('../dist/src/tables/index.js');
let engine;
async function read(file, cacheName) {
  const cached = opt.cache && path.join(opt.cache, cacheName + '.json');
  if (cached && existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
  if (!engine) {
    const { createEngine } = await import('../dist/src/native/engine.js');
    engine = await createEngine({ intraOpThreads: Number(process.env.THREADS ?? 2) });
  }
  const sharp = (await import('sharp')).default;
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const r = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels });
  const page = {
    width: info.width,
    height: info.height,
    lines: r.lines,
    rulings: r.rulings,
    rotation: r.rotation,
    timings: r.timings,
  };
  if (cached) {
    mkdirSync(opt.cache, { recursive: true });
    writeFileSync(cached, JSON.stringify(page));
  }
  return page;
}
const tablesOf = (page) =>
  findTables({
    lines: page.lines,
    rulings: page.rulings,
    width: page.width,
    height: page.height,
    rotation: page.rotation,
  });

const tablesDir = path.join(corpus, 'tables');
if (!existsSync(tablesDir)) {
  console.log(`no corpus at ${tablesDir}: nothing to score`);
  process.exit(0);
}
mkdirSync(out, { recursive: true });
for (const f of readdirSync(path.join(tablesDir, 'images'))
  .filter((x) => x.endsWith('.png'))
  .sort()) {
  const id = f.replace(/\.png$/, '');
  const page = await read(path.join(tablesDir, 'images', f), 'tables-' + id);
  const tables = tablesOf(page);
  writeFileSync(
    path.join(out, id + '.json'),
    JSON.stringify({ tables: tables.map(({ bbox, cells }) => ({ bbox, cells })) }),
  );
  if (process.env.PER_PAGE) console.log(`${id}: ${tables.map((t) => `${t.rows}x${t.cols}`).join(' ') || '-'}`);
}
const teds = execFileSync(
  process.execPath,
  [
    path.join(tablesDir, 'teds.mjs'),
    path.join(tablesDir, 'gt'),
    out,
    '--json',
    path.join(out, 'teds.json'),
    ...(process.env.PER_PAGE ? ['--per-image'] : []),
  ],
  { encoding: 'utf8' },
);
console.log(teds.trim());
const falses = [];
const sets = [['dev2', PROSE_PAGES]];
if (!opt['no-layout'] && existsSync(path.join(corpus, 'layout')))
  sets.push(['layout', readdirSync(path.join(corpus, 'layout')).map((f) => f.replace(/\.png$/, ''))]);
for (const [set, names] of sets) {
  for (const name of names) {
    const file = path.join(corpus, set, name + '.png');
    if (!existsSync(file)) continue;
    const n = tablesOf(await read(file, `${set}-${name}`)).length;
    if (n) falses.push(`${set}/${name}: ${n}`);
  }
}
console.log(
  `tables found on table-free pages (dev2 prose ${PROSE_PAGES.length}${opt['no-layout'] ? '' : ', layout'}): ${falses.length ? falses.join(', ') : 'none'}`,
);
const summary = { teds: JSON.parse(readFileSync(path.join(out, 'teds.json'), 'utf8')), falsePages: falses };
if (opt.json) writeFileSync(opt.json, JSON.stringify(summary, null, 2));
