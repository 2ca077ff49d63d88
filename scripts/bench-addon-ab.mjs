#!/usr/bin/env node
// Engine pages/s of this build against another build of the addon (e.g. main before a change:
// `git worktree add ../old REV && (cd ../old && ln -s ../main/node_modules && npx cmake-js compile --out build)`),
// in one command: child processes alternate between the two (OCR_NATIVE_ADDON), each reading the
// first 6 dev pages at 2 threads after one warm-up page, and the ratio of the means is printed.
// Usage: node scripts/bench-addon-ab.mjs OTHER_ADDON.node [rounds=2]
import { execFileSync } from 'node:child_process';
const [other, rounds = '2'] = process.argv.slice(2);
if (!other && !process.env.AB_CHILD) {
  console.error('usage: node scripts/bench-addon-ab.mjs OTHER_ADDON.node [rounds]');
  process.exit(2);
}
if (process.env.AB_CHILD) {
  const sharp = (await import('sharp')).default;
  const { readdirSync } = await import('node:fs');
  const { createEngine } = await import('../dist/src/native/engine.js');
  const path = await import('node:path');
  const dir = path.join(process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus'), 'dev');
  const files = readdirSync(dir).sort().slice(0, 6);
  const imgs = [];
  for (const f of files) {
    const { data, info } = await sharp(`${dir}/${f}`).raw().toBuffer({ resolveWithObject: true });
    imgs.push({ data, width: info.width, height: info.height, channels: info.channels });
  }
  const e = await createEngine({ intraOpThreads: 2 });
  await e.recognize(imgs[0]);
  const t0 = performance.now();
  for (const img of imgs) await e.recognize(img);
  console.log((imgs.length / ((performance.now() - t0) / 1000)).toFixed(4));
} else {
  const res = { new: [], old: [] };
  for (let r = 0; r < Number(rounds); r++) {
    for (const [k, addon] of [
      ['new', ''],
      ['old', other],
    ]) {
      const out = execFileSync(process.execPath, [process.argv[1]], {
        env: { ...process.env, AB_CHILD: '1', OCR_NATIVE_ADDON: addon },
        encoding: 'utf8',
      });
      res[k].push(Number(out.trim()));
    }
  }
  const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
  console.log(
    `this build ${mean(res.new).toFixed(3)} pages/s ${JSON.stringify(res.new)}; other ${mean(res.old).toFixed(3)} pages/s ${JSON.stringify(res.old)}; ratio ${(mean(res.new) / mean(res.old)).toFixed(3)}`,
  );
}
