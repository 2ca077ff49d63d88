#!/usr/bin/env node
// The service of this checkout against the service of another built checkout (e.g. main before a
// change: `git worktree add ../base REV`, then in ../base `cp -a ../main/node_modules .`, copy the
// installed models/ files, `npm run build`), in one command. Rounds alternate between the two: each
// starts that tree's dist/src/server.js with the same environment, submits the same corpus pages at
// once through POST /ocr/image (`format` json), waits for every result and stops the server.
// Prints pages/s of each (mean over rounds), the ratio this/base, and how many pages gave the same
// result (the JSON without timings) in both: a restructuring that changes no behaviour gives all.
// --out DIR: writes each build's comparable results there (DIR/base/, DIR/this/) to diff them.
// Usage: node scripts/bench-service-ab.mjs BASE_TREE [--sets dev,dev2] [--pages 12] [--rounds 2] [--out DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { corpusPages } from './lib/corpus-pages.mjs';
import { startServer } from './lib/start-server.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sets: { type: 'string', default: 'dev,dev2' },
    pages: { type: 'string', default: '12' },
    rounds: { type: 'string', default: '2' },
    out: { type: 'string' },
  },
});
if (positionals.length !== 1) {
  console.error('usage: node scripts/bench-service-ab.mjs BASE_TREE [--sets dev,dev2] [--pages 12] [--rounds 2]');
  process.exit(2);
}
const trees = { base: path.resolve(positionals[0]), this: path.resolve(import.meta.dirname, '..') };
const pages = corpusPages(values.sets.split(','), { limit: Number(values.pages) });
const env = { ...process.env, PORT: '0', RATE_LIMIT_PER_MINUTE: '0', QUEUE_MAX: '10000', REDIS_CACHE_TTL: '0' };
delete env.REDIS_URL;

/** A result without what differs from run to run (times, ids, dates). */
function comparable(result) {
  return JSON.stringify(result, (k, v) =>
    /(^|_)ms$|^ms$|timings|job_id|created|finished|started|processing_time/.test(k) ? undefined : v,
  );
}

async function round(tree) {
  const { child, url } = await startServer({ ...env, LOG_LEVEL: 'info' }, { tree });
  try {
    while ((await fetch(`${url}/health/ready`)).status !== 200) await new Promise((r) => setTimeout(r, 200));
    const t0 = performance.now();
    const ids = await Promise.all(
      pages.map(async (p) => {
        const form = new FormData();
        form.append('file', new Blob([readFileSync(p.path)]), p.file);
        const res = await fetch(`${url}/ocr/image`, { method: 'POST', body: form });
        if (res.status !== 202) throw new Error(`${p.file}: ${res.status} ${await res.text()}`);
        return (await res.json()).job_id;
      }),
    );
    const results = new Array(ids.length);
    let left = ids.length;
    while (left > 0) {
      await new Promise((r) => setTimeout(r, 200));
      await Promise.all(
        ids.map(async (id, i) => {
          if (results[i]) return;
          const res = await fetch(`${url}/ocr/job/${id}/result`);
          if (res.status === 202) return;
          results[i] = await res.json();
          if (res.status !== 200) throw new Error(`${pages[i].file}: ${res.status} ${JSON.stringify(results[i])}`);
          left--;
        }),
      );
    }
    return { pagesPerS: pages.length / ((performance.now() - t0) / 1000), results: results.map(comparable) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const rates = { base: [], this: [] };
const outputs = {};
for (let r = 0; r < Number(values.rounds); r++) {
  for (const name of r % 2 ? ['this', 'base'] : ['base', 'this']) {
    const { pagesPerS, results } = await round(trees[name]);
    rates[name].push(pagesPerS);
    outputs[name] ??= results;
    console.log(`round ${r + 1} ${name}: ${pagesPerS.toFixed(3)} pages/s`);
  }
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const same = outputs.base.filter((o, i) => o === outputs.this[i]).length;
console.log(`${pages.length} pages of ${values.sets}, ${values.rounds} rounds`);
console.log(`base ${trees.base}: ${mean(rates.base).toFixed(3)} pages/s`);
console.log(`this ${trees.this}: ${mean(rates.this).toFixed(3)} pages/s`);
console.log(`ratio this/base: ${(mean(rates.this) / mean(rates.base)).toFixed(3)}`);
console.log(`same result on ${same} of ${pages.length} pages`);
for (const [i, o] of outputs.base.entries())
  if (o !== outputs.this[i]) console.log(`  differs: ${pages[i].set}/${pages[i].file}`);
if (values.out) {
  for (const name of ['base', 'this']) {
    mkdirSync(path.join(values.out, name), { recursive: true });
    outputs[name].forEach((o, i) =>
      writeFileSync(
        path.join(values.out, name, `${pages[i].set}-${pages[i].file}.json`),
        JSON.stringify(JSON.parse(o), null, 1),
      ),
    );
  }
}
