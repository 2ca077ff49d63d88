// Reading-order bars (issue 20), on what the service returns: the engine's lines put in reading
// order by the layout module, exactly as jobs/process.ts does, scored by the corpus' order.mjs.
// `layout` (multi-column pages): discordant share at most Tesseract's 0.0151 there, at most one
// page over 5%. `dev`, `dev2`: no worse than the engine's own order (what results had before).
// Line texts do not change, only their order. One engine, 60 pages: about 10 minutes on a shared 2-core machine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';

import { laidOut } from '../../src/page/assemble.js';
import { createEngine, type Engine } from '../../src/native/engine.js';
import { CORPUS, withoutCorpus } from '../corpus.js';

interface Order {
  discordant: number;
  over: number;
}

function order(set: string, dir: string): Order {
  const out = execFileSync(process.execPath, [path.join(CORPUS, 'order.mjs'), path.join(CORPUS, 'gt', set), dir], {
    encoding: 'utf8',
  });
  const m = /discordant=([\d.]+) pages_over_5pct=(\d+)/.exec(out);
  assert.ok(m, out);
  return { discordant: Number(m[1]), over: Number(m[2]) };
}

/** Engine order and layout order of one set, from one engine run. */
async function measure(engine: Engine, set: string): Promise<{ engine: Order; layout: Order }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `ocr-order-${set}-`));
  for (const d of ['engine', 'layout']) mkdirSync(path.join(tmp, d));
  for (const f of readdirSync(path.join(CORPUS, set))
    .filter((x) => /\.(png|jpe?g)$/.test(x))
    .sort()) {
    const name = f.replace(/\.[^.]+$/, '.json');
    const { data, info } = await sharp(path.join(CORPUS, set, f))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { lines } = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels });
    const page = laidOut(lines, info.width, info.height);
    assert.deepEqual(
      page.lines.map((l) => l.text).sort(),
      lines.map((l) => l.text).sort(),
      `${f}: the same lines, only reordered`,
    );
    assert.deepEqual(
      page.blocks!.flatMap((b) => b.lines),
      page.lines.map((_, i) => i),
      `${f}: blocks hold every line once, in order`,
    );
    writeFileSync(path.join(tmp, 'engine', name), JSON.stringify({ lines }));
    writeFileSync(path.join(tmp, 'layout', name), JSON.stringify({ lines: page.lines }));
  }
  return { engine: order(set, path.join(tmp, 'engine')), layout: order(set, path.join(tmp, 'layout')) };
}

describe('reading order on the corpus', { timeout: 30 * 60_000, skip: withoutCorpus('layout', 'dev', 'dev2') }, () => {
  let engine: Engine;
  before(async () => {
    engine = await createEngine({ intraOpThreads: 2 });
  });

  it('layout: at most 0.0151 of the pairs discordant (Tesseract), at most one page over 5%', async () => {
    const r = await measure(engine, 'layout');
    console.log(`layout: engine order ${JSON.stringify(r.engine)}, layout ${JSON.stringify(r.layout)}`);
    assert.ok(r.layout.discordant <= 0.0151, `discordant ${r.layout.discordant}`);
    assert.ok(r.layout.over <= 1, `${r.layout.over} pages over 5%`);
  });

  for (const set of ['dev', 'dev2']) {
    it(`${set}: no worse than the engine's own order`, async () => {
      const r = await measure(engine, set);
      console.log(`${set}: engine order ${JSON.stringify(r.engine)}, layout ${JSON.stringify(r.layout)}`);
      assert.ok(
        r.layout.discordant <= r.engine.discordant,
        `discordant ${r.layout.discordant} > ${r.engine.discordant}`,
      );
      assert.ok(r.layout.over <= r.engine.over, `${r.layout.over} pages over 5% > ${r.engine.over}`);
    });
  }
});
