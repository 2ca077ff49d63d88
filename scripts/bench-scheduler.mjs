#!/usr/bin/env node
// Cross-page recognition batches (issue 14): N corpus pages in flight at once on one engine, with
// the scheduler (crossPageBatching) and without, one intra-op thread each, in one command. Prints
// the batch-size histogram of the shared batches against the batches each page makes alone,
// whether every page read the same text both ways, and the pages/s of both on this machine's CPU
// (on the CPU one shared batch at a time leaves other cores idle: the default is off there).
// Usage: node scripts/bench-scheduler.mjs [--set dev] [--pages 8] [--batch 64] [--width 0] [--bucket 64]
//   (after npm run build; --bucket 0: batches padded to their widest piece, text then depends on the batch)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    set: { type: 'string', default: 'dev' },
    pages: { type: 'string', default: '8' },
    batch: { type: 'string', default: '64' },
    width: { type: 'string', default: '0' },
    bucket: { type: 'string', default: '64' },
  },
});
const inFlight = Number(values.pages);
if (!process.env.BENCH_CHILD) {
  // N-API async work runs on libuv's pool, sized when it first starts: one thread per page in flight.
  const r = spawnSync(process.execPath, [import.meta.filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_CHILD: '1', UV_THREADPOOL_SIZE: String(inFlight + 1) },
  });
  process.exit(r.status ?? 1);
}

const sharp = (await import('sharp')).default;
const { createEngine } = await import('../dist/src/native/engine.js');
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '..', '..', 'shared', 'corpus');
const dir = path.join(corpus, values.set);
const files = readdirSync(dir).sort().slice(0, inFlight);
const imgs = [];
for (const f of files) {
  const { data, info } = await sharp(path.join(dir, f)).raw().toBuffer({ resolveWithObject: true });
  imgs.push({ data, width: info.width, height: info.height, channels: info.channels });
}
const options = {
  recBatchSize: Number(values.batch),
  recBatchWidth: Number(values.width),
  recBucketWidth: Number(values.bucket),
};
const shared = await createEngine({ intraOpThreads: 1, crossPageBatching: true });
const alone = await createEngine({ intraOpThreads: 1 });
await alone.recognize(imgs[0], options);

const runAll = async (engine) => {
  const t0 = performance.now();
  const results = await Promise.all(imgs.map((img) => engine.recognize(img, options)));
  return { results, seconds: (performance.now() - t0) / 1000 };
};
const texts = (r) => r.lines.map((l) => l.text).join('\n');
const delta = (after, before) => {
  const d = {};
  for (const [k, v] of Object.entries(after.batches))
    if (v - (before.batches[k] ?? 0) > 0) d[k] = v - (before.batches[k] ?? 0);
  return { batches: d, mixed: after.mixed - before.mixed };
};
// One page at a time on the scheduling engine: the batches each page makes alone.
const seq = [];
for (const img of imgs) seq.push(await shared.recognize(img, options));
const byPage = delta(shared.schedulerStats, { batches: {}, mixed: 0 });
const before = shared.schedulerStats;
const s = await runAll(shared);
const together = delta(shared.schedulerStats, before);
const a = await runAll(alone);

const mean = (h) => {
  const e = Object.entries(h);
  return (
    e.reduce((x, [k, v]) => x + Number(k) * v, 0) /
    Math.max(
      1,
      e.reduce((x, [, v]) => x + v, 0),
    )
  );
};
const same = (x, y) => x.filter((r, i) => texts(r) === texts(y[i])).length;
console.log(
  `${imgs.length} ${values.set} pages in flight, recognition batches of up to ${options.recBatchSize} (width budget ${options.recBatchWidth || 'none'}, width buckets ${options.recBucketWidth || 'none'}), 1 intra-op thread`,
);
console.log(
  `shared batches, lines per batch: ${JSON.stringify(together.batches)} (mean ${mean(together.batches).toFixed(1)}; ${together.mixed} held several pages)`,
);
console.log(
  `each page alone:                 ${JSON.stringify(byPage.batches)} (mean ${mean(byPage.batches).toFixed(1)})`,
);
console.log(
  `same text, shared vs one page at a time: ${same(s.results, seq)} of ${imgs.length} pages; vs the engine without the scheduler: ${same(s.results, a.results)} of ${imgs.length}`,
);
console.log(
  `CPU pages/s with ${imgs.length} in flight: without the scheduler ${(imgs.length / a.seconds).toFixed(3)}, with ${(imgs.length / s.seconds).toFixed(3)} (ratio ${(a.seconds / s.seconds).toFixed(3)})`,
);
