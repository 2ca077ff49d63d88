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
}

const loaded = new Map<string, LoadedDictionary | null>();

/** Dictionaries kept per thread (least recently used dropped): 11-72 MB of heap each. */
export const MAX_LOADED = 3;

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
    const index = new HunspellIndex(readFileSync(path.join(dir, 'index.aff'), 'utf8'), readFileSync(path.join(dir, 'index.dic'), 'utf8'));
    entry = { index, loadMs: performance.now() - start };
  }
  loaded.set(lang, entry);
  const real = [...loaded].filter(([, d]) => d);
  if (real.length > MAX_LOADED) loaded.delete(real[0][0]);
  return entry ?? undefined;
}
