#!/usr/bin/env node
// What layout and tables cost against a whole page: for a few pages (tables, prose, a multi-column
// page), the engine's page time, its share spent finding ruling lines (native), and the time of
// findTables + pageLayout in the main thread, as ratios of the page time measured in the same run.
//   node scripts/bench-tables.mjs [page.png ...]   (default: 2 table pages, 2 dev2 prose pages, 1 layout page)
import path from 'node:path';

const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : [
      'tables/images/sqlite-cli-archive.png',
      'tables/images/r-exts-constants.png',
      'dev2/devref-de_p031.png',
      'dev2/lshort-pl_p021.png',
      'layout/ltnews_p014.png',
    ].map((f) => path.join(corpus, f));
const { createEngine } = await import('../dist/src/native/engine.js');
const { findTables } = await import('../dist/src/tables/index.js');
const { pageLayout } = await import('../dist/src/layout/index.js');
const sharp = (await import('sharp')).default;
const engine = await createEngine({ intraOpThreads: Number(process.env.THREADS ?? 2) });
const REPEAT = 20;
let sumPage = 0,
  sumRulings = 0,
  sumTables = 0,
  sumLayout = 0;
console.log('page\tpage ms\trulings\ttables\tlayout\t(tables+layout+rulings)/page\ttables found');
for (const f of files) {
  const { data, info } = await sharp(f).raw().toBuffer({ resolveWithObject: true });
  const r = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels });
  const input = { lines: r.lines, rulings: r.rulings, width: info.width, height: info.height, rotation: r.rotation };
  // Repeated: each takes milliseconds, below the timer's noise once.
  let t0 = performance.now();
  let found;
  for (let k = 0; k < REPEAT; k++) found = findTables(input);
  const tables = (performance.now() - t0) / REPEAT;
  t0 = performance.now();
  for (let k = 0; k < REPEAT; k++)
    pageLayout({ lines: r.lines, width: info.width, height: info.height, rotation: r.rotation, tables: found });
  const layout = (performance.now() - t0) / REPEAT;
  const page = r.timings.total + tables + layout;
  sumPage += page;
  sumRulings += r.timings.rulings ?? 0;
  sumTables += tables;
  sumLayout += layout;
  console.log(
    `${path.basename(f)}\t${page.toFixed(0)}\t${(r.timings.rulings ?? 0).toFixed(1)}\t${tables.toFixed(1)}\t${layout.toFixed(1)}\t${((tables + layout + (r.timings.rulings ?? 0)) / page).toFixed(4)}\t${found.length}`,
  );
}
console.log(
  `all\t${sumPage.toFixed(0)}\t${sumRulings.toFixed(1)}\t${sumTables.toFixed(1)}\t${sumLayout.toFixed(1)}\t${((sumTables + sumLayout + sumRulings) / sumPage).toFixed(4)}`,
);
