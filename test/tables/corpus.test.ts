// The table bars on the corpus (../shared/corpus/tables and dev2's prose-only pages), through the
// same script that prints the figures (scripts/eval-tables.mjs): the engine reads every page, the
// tables are built as the service builds them, teds.mjs scores them. A few minutes on 2 cores.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { ROOT } from '../../src/models/manifest.js';
import { CORPUS, withoutCorpus } from '../corpus.js';

describe('tables on the corpus', { skip: withoutCorpus('tables/teds.mjs', 'dev2') }, () => {
  it(
    'TEDS >= 0.90, TEDS-struct >= 0.95, detection P and R >= 0.95, no table on dev2 prose pages',
    { timeout: 20 * 60_000 },
    () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'ocr-tables-'));
      const json = path.join(dir, 'summary.json');
      const out = execFileSync(
        process.execPath,
        [path.join(ROOT, 'scripts/eval-tables.mjs'), '--out', path.join(dir, 'pred'), '--json', json, '--no-layout'],
        {
          encoding: 'utf8',
          env: { ...process.env, OCR_CORPUS: CORPUS },
        },
      );
      console.log(out.trim());
      const s = JSON.parse(readFileSync(json, 'utf8'));
      assert.ok(s.teds.teds >= 0.9, `TEDS ${s.teds.teds}`);
      assert.ok(s.teds.tedsStruct >= 0.95, `TEDS-struct ${s.teds.tedsStruct}`);
      assert.ok(s.teds.precision >= 0.95, `precision ${s.teds.precision}`);
      assert.ok(s.teds.recall >= 0.95, `recall ${s.teds.recall}`);
      assert.deepEqual(s.falsePages, [], 'tables found on prose-only dev2 pages');
    },
  );
});
