// Page-by-page comparison of accent restoration against none: the same engine output
// post-processed with the defaults and with diacritics=false, each scored by the corpus' scorer.
// Shared by scripts/eval-diacritics.mjs and test/lang/accent-bar.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const f1 = (p) => (p.wGt + p.wPred ? (2 * p.wHit) / (p.wGt + p.wPred) : 1);

/**
 * pages: Map page name → raw engine lines. Returns per page { page, language, on, off, restored }
 * (word F1 with and without restoration) and the set figures of both runs.
 */
export function compareRestoration({ corpus, set, pages, postprocessLines, settings, lang = 'auto' }) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `ocr-accent-${set}-`));
  try {
    const info = new Map();
    for (const mode of ['on', 'off']) {
      mkdirSync(path.join(tmp, mode));
      for (const [name, lines] of pages) {
        const p = postprocessLines(lines, { lang, diacritics: mode === 'on', ...settings });
        if (mode === 'on') info.set(name, { language: p.language, restored: p.restored });
        writeFileSync(path.join(tmp, mode, `${name}.json`), JSON.stringify({ lines: p.lines }));
      }
    }
    const score = (mode) => {
      const json = path.join(tmp, `${mode}.score.json`);
      const args = [path.join(corpus, 'score.mjs'), path.join(corpus, 'gt', set), path.join(tmp, mode), '--json', json];
      if (set.includes('degraded')) args.push('--box-field', 'bbox_rot');
      const report = execFileSync(process.execPath, args, { encoding: 'utf8' });
      const s = JSON.parse(readFileSync(json, 'utf8')).sets[set];
      return {
        summary: /hmean=\S+ cer=.*/.exec(report)?.[0] ?? '',
        perPage: new Map(s.pages.map((p) => [p.page, f1(p)])),
      };
    };
    const on = score('on'),
      off = score('off');
    const rows = [...pages.keys()]
      .sort()
      .map((page) => ({ page, ...info.get(page), on: on.perPage.get(page), off: off.perPage.get(page) }));
    return { rows, on: on.summary, off: off.summary };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
