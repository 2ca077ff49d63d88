// Reading order on the order-set: 40 multi-column pages of Debian documentation (two-column papers
// and author guides, a three-column reference card) that the layout was not tuned on. The pages
// are rendered by scripts/make-order-set.mjs (apt-get download of pinned packages, pdftoppm) into
// $OCR_ORDER_SET (default test-data/order-set, git-ignored); their ground truth is committed under
// test/layout/order-set/, with Tesseract's figure per page (`--psm 3`, _tesseract.json).
// Bar: the pooled discordant share of what the service returns (engine lines put in order by
// laidOut, as src/page/assemble.ts does) at most Tesseract's on the same pages, and at most one page
// in ten over 5%. The `layout` corpus set has the same bar in order.test.ts.
// OCR of 40 pages at 300 dpi takes about 3 minutes on a shared 2-core machine; with
// OCR_ORDER_CACHE=DIR the engine's lines are saved to (and read back from) DIR/order-set/<page>.json,
// the format of `scripts/eval-order.mjs --cache DIR`: a second run only re-orders (seconds). A
// cache holds an earlier run's engine output: delete it when the engine or its models change.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';

import { laidOut } from '../../src/page/assemble.js';
import { ROOT } from '../../src/models/manifest.js';
import type { OcrLine } from '../../src/native/engine.js';
import { createEngine, type Engine } from '../../src/native/engine.js';

const GT_DIR = path.join(ROOT, 'test', 'layout', 'order-set');
const SET = process.env.OCR_ORDER_SET || path.join(ROOT, 'test-data', 'order-set');
const PAGES = path.join(SET, 'pages');
const CACHE = process.env.OCR_ORDER_CACHE && path.join(path.resolve(process.env.OCR_ORDER_CACHE), 'order-set');

interface GtLine {
  text: string;
  bbox: number[];
}
type Box = number[] | number[][];

/** Build the set (renders only what is missing); the reason it cannot be built here, or false. */
function unbuildable(): string | false {
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'make-order-set.mjs')], {
      env: { ...process.env, OCR_ORDER_SET: SET },
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    return false;
  } catch (e) {
    const err = e as { status?: number; stderr?: string };
    // Status 2: no apt-get, no poppler, or the pinned packages cannot be downloaded here.
    if (err.status !== 2) throw e;
    const reason = `order-set not built: ${(err.stderr ?? '').trim()}`;
    console.log(`# skipped: ${reason}`);
    return reason;
  }
}

/** The corpus' order score (scripts/lib/order.mjs, the same as order.mjs): matched lines, pairs the GT orders the other way. */
const { discordant } = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'lib', 'order.mjs')).href)) as {
  discordant: (gt: GtLine[], pred: { bbox: Box }[]) => { pairs: number; discordant: number };
};

const skip = unbuildable();

describe('reading order on the order-set (multi-column Debian docs)', { timeout: 20 * 60_000, skip }, () => {
  let engine: Engine | undefined;
  const names = readdirSync(GT_DIR)
    .filter((f) => f.endsWith('.json') && !f.startsWith('_'))
    .map((f) => f.slice(0, -5))
    .sort();
  const tess = JSON.parse(readFileSync(path.join(GT_DIR, '_tesseract.json'), 'utf8')).discordant as Record<
    string,
    { share: number; pairs: number; discordant: number }
  >;

  async function engineLines(name: string): Promise<{ lines: OcrLine[]; width: number; height: number }> {
    const cached = CACHE && path.join(CACHE, `${name}.json`);
    if (cached && existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
    engine ??= await createEngine({ intraOpThreads: 2 });
    const { data, info } = await sharp(path.join(PAGES, `${name}.png`))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { lines } = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels });
    const out = { lines, width: info.width, height: info.height };
    if (cached) {
      mkdirSync(CACHE, { recursive: true });
      writeFileSync(cached, JSON.stringify(out));
    }
    return out;
  }

  const per: Record<string, { pairs: number; discordant: number }> = {};
  before(async () => {
    for (const name of names) {
      const gt = JSON.parse(readFileSync(path.join(GT_DIR, `${name}.json`), 'utf8'));
      const { lines, width, height } = await engineLines(name);
      const page = laidOut(lines, width, height);
      assert.deepEqual(
        page.lines.map((l) => l.text).sort(),
        lines.map((l) => l.text).sort(),
        `${name}: the same lines, only reordered`,
      );
      per[name] = discordant(gt.lines, page.lines);
    }
  });

  it('has its 40 pages, each with Tesseract recorded', () => {
    assert.ok(names.length >= 40, `${names.length} pages`);
    for (const n of names) assert.ok(tess[n], `${n}: no Tesseract figure in _tesseract.json`);
  });

  it("at most Tesseract's pooled discordant share, at most one page in ten over 5%", () => {
    const pooled = (rs: { pairs: number; discordant: number }[]) =>
      rs.reduce((a, r) => a + r.discordant, 0) /
      Math.max(
        1,
        rs.reduce((a, r) => a + r.pairs, 0),
      );
    const ours = pooled(Object.values(per));
    const theirs = pooled(names.map((n) => tess[n]));
    const over = names.filter((n) => per[n].discordant / Math.max(1, per[n].pairs) > 0.05);
    const tessOver = names.filter((n) => tess[n].share > 0.05).length;
    console.log(
      `order-set: ${names.length} pages, layout discordant=${ours.toFixed(4)} over5%=${over.length} (${over.join(', ')}); Tesseract discordant=${theirs.toFixed(4)} over5%=${tessOver}`,
    );
    assert.ok(ours <= theirs, `discordant ${ours.toFixed(4)} > Tesseract's ${theirs.toFixed(4)}`);
    assert.ok(over.length <= Math.floor(names.length / 10), `${over.length} pages over 5%: ${over.join(', ')}`);
  });
});
