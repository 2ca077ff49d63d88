// Loads a language's hunspell dictionary once per thread (lazily, on first use) into a
// HunspellIndex. Load time and size are reported so the cost is visible.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { ROOT } from '../models/manifest.js';
import { HunspellIndex } from './hunspell.js';
import { LANGUAGES } from './languages.js';

export interface LoadedDictionary {
  index: HunspellIndex;
  loadMs: number;
  /** Estimated heap the index holds, in MB (about 15 bytes per character of .dic/.aff, measured). */
  heapMb: number;
}

const loaded = new Map<string, LoadedDictionary | null>();

/**
 * Heap kept for dictionaries per thread (in the service: the one language thread), in MB; the
 * least recently used are dropped beyond it.
 * A count was not enough: the nine sets hold 8 (en) to 69 MB (pl), and with a cap of three a
 * stream of pages in several languages reloaded a dictionary on most pages (0.15-0.9 s each, the
 * OCR thread idle meanwhile): 240 ms a page of post-processing over dev2's eight languages, 6 ms
 * with all of them kept. 300 MB holds the eight besides English (296 MB by this estimate).
 */
export const HEAP_BUDGET_MB = 300;
const HEAP_PER_BYTE = 15;

function packageDir(pkg: string): string | undefined {
  const require = createRequire(path.join(ROOT, 'package.json'));
  for (const base of require.resolve.paths(pkg) ?? []) {
    const dir = path.join(base, pkg);
    if (existsSync(path.join(dir, 'index.aff'))) return dir;
  }
  return undefined;
}

/** Whether accents of `lang` can be restored here (a dictionary package is installed). */
export function hasDictionary(lang: string): boolean {
  const pkg = LANGUAGES[lang]?.dictionary;
  return !!pkg && packageDir(pkg) !== undefined;
}

/** The language's dictionary, loaded on first call; undefined when the language has none. */
export function dictionaryFor(lang: string): LoadedDictionary | undefined {
  if (loaded.has(lang)) {
    const hit = loaded.get(lang) ?? null;
    loaded.delete(lang); // most recently used goes last
    loaded.set(lang, hit);
    return hit ?? undefined;
  }
  const pkg = LANGUAGES[lang]?.dictionary;
  const dir = pkg ? packageDir(pkg) : undefined;
  let entry: LoadedDictionary | null = null;
  if (dir) {
    const start = performance.now();
    const aff = readFileSync(path.join(dir, 'index.aff'), 'utf8');
    const dic = readFileSync(path.join(dir, 'index.dic'), 'utf8');
    const index = new HunspellIndex(aff, dic);
    entry = { index, loadMs: performance.now() - start, heapMb: ((aff.length + dic.length) * HEAP_PER_BYTE) / 2 ** 20 };
  }
  loaded.set(lang, entry);
  // Oldest first; the one just loaded stays even alone over the budget.
  let heap = [...loaded.values()].reduce((sum, d) => sum + (d?.heapMb ?? 0), 0);
  for (const [code, d] of loaded) {
    if (heap <= HEAP_BUDGET_MB || code === lang) break;
    if (!d) continue;
    loaded.delete(code);
    heap -= d.heapMb;
  }
  return entry ?? undefined;
}
