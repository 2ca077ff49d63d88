import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createEngine } from '../../src/native/engine.js';
import { renderLines } from './render.js';

// The strict figure (500 runs, within 5%) is printed by scripts/bench-memory.mjs; this test keeps
// a looser bound so it can run in CI in seconds.
describe('engine memory', () => {
  it('RSS stays flat over repeated recognitions', async () => {
    const engine = await createEngine();
    const img = await renderLines(['Memory must stay flat', 'over many recognitions of a page'], { fontSize: 28 });
    let rss20 = 0;
    for (let i = 1; i <= 120; i++) {
      await engine.recognize(img);
      if (i === 20) rss20 = process.memoryUsage.rss();
    }
    const rssEnd = process.memoryUsage.rss();
    assert.ok(
      rssEnd < rss20 * 1.15,
      `RSS grew from ${(rss20 / 2 ** 20).toFixed(0)} MB to ${(rssEnd / 2 ** 20).toFixed(0)} MB`,
    );
  });
});
