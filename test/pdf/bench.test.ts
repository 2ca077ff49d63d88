// The small version of scripts/bench-pdf.mjs (the full one is 100 pages at 300 dpi): it runs
// through a real server process and reports the figures the issue asks for.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';

import { corpusPath, withoutCorpus } from '../corpus.js';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

it(
  'bench-pdf --pages 3 --small 1 --dpi 100 prints peak RSS, ratios, pages/s and render vs engine time',
  { skip: withoutCorpus('dev/simh-pdp11_p003.png') },
  () => {
    // The corpus page with the fewest lines, at 100 dpi: the figures, not the bars, are checked here.
    const args = [
      '--pages',
      '3',
      '--small',
      '1',
      '--dpi',
      '100',
      '--workers',
      '1',
      '--image',
      corpusPath('dev', 'simh-pdp11_p003.png'),
      '--json',
    ];
    const r = spawnSync(process.execPath, ['scripts/bench-pdf.mjs', ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 85_000,
    });
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    assert.equal(out.dpi, 100);
    assert.equal(out.workers, 1);
    for (const [run, pages] of [
      [out.large, 3],
      [out.small, 1],
    ]) {
      assert.equal(run.pages, pages);
      assert.equal(run.failed, 0);
      assert.ok(run.peak_rss_mb > 50 && run.peak_rss_mb < 4096, JSON.stringify(run));
      assert.ok(run.ratio > 0.5 && run.ratio < 2, JSON.stringify(run));
      assert.ok(run.pages_per_s > 0 && run.render_s >= 0 && run.engine_s > 0, JSON.stringify(run));
      assert.ok(run.words > 20 * pages, JSON.stringify(run));
    }
    // Exit status 0 exactly when the bars are met.
    assert.equal(r.status === 0, out.large.peak_rss_mb <= 1024 && out.large.ratio <= 1.1);
  },
);
