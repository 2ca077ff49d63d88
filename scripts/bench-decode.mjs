#!/usr/bin/env node
// CPU work around ONNX Runtime's Run, the recognition graph reduced on the device against the plain
// graph (issue 14, "measured without a GPU"): two engines in one process, one intra-op thread each,
// recognition batches of 64 lines (no width budget, as on a GPU), pages alternating between them.
// Prints, per page, the time outside Run (crops, resizes, normalization, CTC decoding, everything
// but the kernels), the bytes the recognizer hands to decoding per line, and whether both engines
// read the same text on every page.
// Usage: node scripts/bench-decode.mjs [--sets dev,dev-degraded] [--pages N] [--batch 64]   (after npm run build)
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import sharp from 'sharp';

import { createEngine } from '../dist/src/native/engine.js';

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: 'dev,dev-degraded' },
    pages: { type: 'string', default: '0' },
    batch: { type: 'string', default: '64' },
  },
});
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'corpus');
const options = { recBatchSize: Number(values.batch), recBatchWidth: 0 };
const engines = {
  plain: await createEngine({ intraOpThreads: 1, reduceOnDevice: false }),
  reduced: await createEngine({ intraOpThreads: 1 }),
};
console.log(
  `recognition batch ${options.recBatchSize}, 1 intra-op thread; graph rewrites:`,
  JSON.stringify(engines.reduced.graphRewrites.rec),
);

for (const set of values.sets.split(',')) {
  const dir = path.join(corpus, set);
  let files = readdirSync(dir).sort();
  if (Number(values.pages) > 0) files = files.slice(0, Number(values.pages));
  const sum = {
    plain: { outside: 0, inside: 0, bytes: 0, lines: 0 },
    reduced: { outside: 0, inside: 0, bytes: 0, lines: 0 },
  };
  let same = 0;
  let warmed = false;
  for (const f of files) {
    const { data, info } = await sharp(path.join(dir, f)).raw().toBuffer({ resolveWithObject: true });
    const img = { data, width: info.width, height: info.height, channels: info.channels };
    if (!warmed) {
      for (const e of Object.values(engines)) await e.recognize(img, options);
      warmed = true;
    }
    const texts = {};
    for (const [name, e] of Object.entries(engines)) {
      const r = await e.recognize(img, options);
      const s = sum[name];
      s.outside += r.timings.total - r.timings.ortRun;
      s.inside += r.timings.ortRun;
      s.bytes += r.timings.recOutBytes;
      s.lines += r.lines.length;
      texts[name] = r.lines.map((l) => l.text).join('\n');
    }
    if (texts.plain === texts.reduced) same++;
  }
  const n = files.length;
  const row = (name) => {
    const s = sum[name];
    return `${name.padEnd(8)} outside Run ${(s.outside / n).toFixed(0).padStart(5)} ms/page, inside ${(s.inside / n).toFixed(0).padStart(5)} ms/page, ${(s.bytes / Math.max(1, s.lines)).toFixed(0).padStart(8)} B/line to decoding`;
  };
  console.log(`${set} (${n} pages)`);
  console.log(`  ${row('plain')}`);
  console.log(`  ${row('reduced')}`);
  console.log(
    `  reduced / plain: outside Run ${(sum.reduced.outside / sum.plain.outside).toFixed(3)}, bytes ${(sum.plain.bytes / sum.reduced.bytes).toFixed(0)}x fewer; ` +
      `same text on ${same} of ${n} pages`,
  );
}
