// Cross-page recognition batches (native/ocr/rec_scheduler.cc, issue 14): the lines of pages in
// flight at once go into shared batches, and every page gets its own lines back, as read alone.
import './uv-pool.js';

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { createEngine, type Engine, type RawImage } from '../../src/native/engine.js';
import { renderLines } from './render.js';

const WORDS = [
  'invoice',
  'total',
  'shipping',
  'Lisbon',
  'quarterly',
  'report',
  'engine',
  'batch',
  'scheduler',
  'width',
];
function pageText(p: number): string[] {
  return Array.from(
    { length: 5 },
    (_, l) => `${WORDS[(p + l) % WORDS.length]} ${20 + p * 10 + l} ${WORDS[(p * 3 + l) % WORDS.length]}`,
  );
}

describe('recognition batches shared across pages', () => {
  let shared: Engine;
  let alone: Engine;
  const pages: RawImage[] = [];
  before(async () => {
    shared = await createEngine({ intraOpThreads: 1, crossPageBatching: true, batchWaitMs: 50 });
    alone = await createEngine({ intraOpThreads: 1 });
    for (let p = 0; p < 8; p++) pages.push(await renderLines(pageText(p), { fontSize: 28 }));
    const blank = await renderLines([''], { fontSize: 28, width: 400 });
    pages.push(blank);
  });

  it('gives each page its own lines, as read alone, with batches mixing pages', async () => {
    const before = alone.schedulerStats;
    assert.equal(before, null);
    const expected = [];
    for (const img of pages) expected.push((await alone.recognize(img)).lines.map((l) => l.text));
    const got = await Promise.all(pages.map((img) => shared.recognize(img)));
    assert.deepEqual(
      got.map((r) => r.lines.map((l) => l.text)),
      expected,
    );
    for (let p = 0; p < 8; p++) assert.deepEqual(expected[p], pageText(p));
    assert.deepEqual(expected[8], []);
    const stats = shared.schedulerStats;
    assert.ok(stats, 'scheduler stats');
    const sizes = Object.keys(stats.batches).map(Number);
    const lines = Object.entries(stats.batches).reduce((a, [size, n]) => a + Number(size) * n, 0);
    assert.equal(lines, 40, `every line recognized once: ${JSON.stringify(stats)}`);
    // One page has 5 lines: a batch of more holds another page's lines too.
    assert.ok(stats.mixed > 0 && Math.max(...sizes) > 5, JSON.stringify(stats));
  });

  it('a lone page runs its own lines at once, in a batch of its own', async () => {
    const before = shared.schedulerStats!;
    const r = await shared.recognize(pages[1]);
    assert.deepEqual(
      r.lines.map((l) => l.text),
      pageText(1),
    );
    const after = shared.schedulerStats!;
    assert.equal(after.mixed, before.mixed);
    assert.equal((after.batches['5'] ?? 0) - (before.batches['5'] ?? 0), 1, JSON.stringify({ before, after }));
  });
});
