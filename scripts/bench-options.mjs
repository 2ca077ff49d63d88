#!/usr/bin/env node
// Engine time of several recognize() option sets on the same pages, in one process: every page is
// read once with each set in turn (the order rotates page by page), so machine noise falls on all
// sets alike. Prints per set the engine ms per page (total, detection, recognition) and its ratio
// to the first set, and how many lines of text differ from the first set's.
//   node scripts/bench-options.mjs [--sets dev,dev2] [--min-chars N] [--pages N] [--rounds 2]
//        [--threads 2] '{}' '{"detCropUnclipRatio":2.5}' ...
import { parseArgs } from 'node:util';

import sharp from 'sharp';

import { corpusPages } from './lib/corpus-pages.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sets: { type: 'string', default: 'dev,dev2' },
    'min-chars': { type: 'string', default: '0' },
    pages: { type: 'string', default: '0' },
    rounds: { type: 'string', default: '2' },
    threads: { type: 'string', default: '2' },
  },
});
const optionSets = (positionals.length ? positionals : ['{}']).map((s) => JSON.parse(s));
const pages = corpusPages(values.sets.split(','), {
  minChars: Number(values['min-chars']),
  limit: Number(values.pages),
}).map((p) => p.path);

const { createEngine } = await import('../dist/src/native/engine.js');
const engine = await createEngine({ intraOpThreads: Number(values.threads) });
const sums = optionSets.map(() => ({ total: 0, det: 0, rec: 0 }));
const texts = optionSets.map(() => []);
let runs = 0;
for (let round = 0; round < Number(values.rounds); round++) {
  for (let p = 0; p < pages.length; p++) {
    const { data, info } = await sharp(pages[p]).raw().toBuffer({ resolveWithObject: true });
    const image = { data, width: info.width, height: info.height, channels: info.channels };
    for (let k = 0; k < optionSets.length; k++) {
      const i = (k + p + round) % optionSets.length;
      const r = await engine.recognize(image, optionSets[i]);
      for (const key of Object.keys(sums[i])) sums[i][key] += r.timings[key];
      if (round === 0) texts[i][p] = r.lines.map((l) => l.text);
    }
    runs++;
  }
}
console.log(`${pages.length} pages x ${values.rounds} rounds, ${values.threads} threads`);
for (let i = 0; i < optionSets.length; i++) {
  const s = sums[i];
  let differ = 0,
    lines = 0;
  texts[i].forEach((t, p) => {
    const base = new Set(texts[0][p]);
    lines += t.length;
    differ += t.filter((x) => !base.has(x)).length;
  });
  console.log(
    `${JSON.stringify(optionSets[i])}: total ${(s.total / runs).toFixed(0)} ms/page (${(s.total / sums[0].total).toFixed(3)}x), ` +
      `det ${(s.det / runs).toFixed(0)} (${(s.det / sums[0].det).toFixed(3)}x), rec ${(s.rec / runs).toFixed(0)} (${(s.rec / sums[0].rec).toFixed(3)}x); ` +
      `${differ} of ${lines} lines differ from the first set`,
  );
}
