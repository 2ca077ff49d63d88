// Accent restoration must never make a page worse: on every page of dev, dev2 and dev2-degraded
// (English manuals, French/German/Spanish/Polish ones, an English page of a French manual), the
// word F1 with the defaults is at least the word F1 with diacritics=false minus 0.002, scored by the
// corpus' own scorer. Each page is read once (the service's default reading, shared with
// test/native/corpus.test.ts through test/corpus-reads.ts) and post-processed both ways.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';

import { cyrillicSet, readAutoScript } from '../../src/lang/auto-script.js';
import { postprocessLines } from '../../src/lang/index.js';
import { postprocessSettings } from '../../src/lang/resolve.js';
import { type Engine, type OcrLine, createEngine } from '../../src/native/engine.js';
import { CORPUS, withoutCorpus } from '../corpus.js';
import { defaultReading } from '../corpus-reads.js';

const BAR = 0.002;
const SETS = ['dev', 'dev2', 'dev2-degraded'];

interface Row {
  page: string;
  language: string;
  restored: number;
  on: number;
  off: number;
}
type Compare = (a: {
  corpus: string;
  set: string;
  pages: Map<string, OcrLine[]>;
  lang: string;
  postprocessLines: typeof postprocessLines;
  settings: ReturnType<typeof postprocessSettings>;
}) => { rows: Row[]; on: string; off: string };

describe(
  'accent restoration never costs a page word F1 (defaults against diacritics=false)',
  { skip: withoutCorpus(...SETS.flatMap((s) => [s, `gt/${s}`])) },
  () => {
    let engine: Engine;
    let compare: Compare;
    before(async () => {
      engine = await createEngine({ intraOpThreads: 2 });
      // The same comparison scripts/eval-diacritics.mjs prints.
      compare = (
        (await import(new URL('../../../scripts/lib/accent-bar.mjs', import.meta.url).href)) as {
          compareRestoration: Compare;
        }
      ).compareRestoration;
    });

    for (const set of SETS) {
      it(`${set}: every page's word F1 with restoration >= without - ${BAR}`, async () => {
        const cyr = cyrillicSet();
        const bySet = new Map<string, Map<string, OcrLine[]>>();
        for (const f of readdirSync(path.join(CORPUS, set)).sort()) {
          const r = await defaultReading(set, f, async () => {
            const { data, info } = await sharp(path.join(CORPUS, set, f))
              .raw()
              .toBuffer({ resolveWithObject: true });
            return readAutoScript(engine, cyr ? () => createEngine({ model: cyr, intraOpThreads: 2 }) : undefined, {
              data,
              width: info.width,
              height: info.height,
              channels: info.channels,
            });
          });
          if (!bySet.has(r.modelSet)) bySet.set(r.modelSet, new Map());
          bySet.get(r.modelSet)!.set(f.replace(/\.[^.]+$/, ''), r.lines);
        }
        const rows: Row[] = [];
        for (const [modelSet, pages] of bySet) {
          const r = compare({
            corpus: CORPUS,
            set,
            pages,
            lang: 'auto',
            postprocessLines,
            settings: postprocessSettings(modelSet),
          });
          console.log(`# ${set} (${modelSet}): default ${r.on}; diacritics=false ${r.off}`);
          rows.push(...r.rows);
        }
        const below = rows.filter((r) => r.on < r.off - BAR);
        for (const r of rows)
          console.log(
            `# ${set} ${r.page} (${r.language}, ${r.restored} restored): ${r.on.toFixed(4)} vs ${r.off.toFixed(4)}`,
          );
        assert.ok(rows.length > 0, 'no pages');
        assert.deepEqual(
          below.map((r) => `${r.page}: ${r.on.toFixed(4)} < ${r.off.toFixed(4)} - ${BAR}`),
          [],
        );
      });
    }
  },
);
