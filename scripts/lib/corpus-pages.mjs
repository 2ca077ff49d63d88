// Pages of the shared corpus for the benchmarks: every page of the given sets, in file order,
// optionally only those whose ground truth holds at least `minChars` characters (dense pages).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const CORPUS = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');

/** [{ set, file, path }] of `sets`, then the first `limit` of them (0: all). */
export function corpusPages(sets, { minChars = 0, limit = 0, corpus = CORPUS } = {}) {
  const pages = [];
  for (const set of sets) {
    for (const file of readdirSync(path.join(corpus, set)).sort()) {
      if (minChars > 0) {
        const gt = JSON.parse(readFileSync(path.join(corpus, 'gt', set, file.replace(/\.[^.]+$/, '.json')), 'utf8'));
        if (gt.lines.reduce((n, l) => n + [...l.text].length, 0) < minChars) continue;
      }
      pages.push({ set, file, path: path.join(corpus, set, file) });
    }
  }
  return limit > 0 ? pages.slice(0, limit) : pages;
}
