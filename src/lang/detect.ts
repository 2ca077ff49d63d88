// The language of a page from its recognized text (franc-min trigram models), among the languages
// this service can do something for: English and the languages with a dictionary (detecting Czech
// among every Latin language gives Croatian on accent-less OCR text; a language we cannot act on is
// no use to name). Accent-less OCR text still detects well: trigrams of "etre", "sie", "nao" are
// as telling as those of "être", "się", "não". When trigrams hardly separate two languages with a
// dictionary (a page of paths and release notes), the share of the page's words each dictionary
// knows decides, and a page no dictionary in the tie knows half of (Latin filler text) is 'und'.
// Only words with a lower-case letter count as evidence: a listing of upper-case names and codes
// (an MPS data file in a manual) scores as any language to trigrams, and naming one would load its
// dictionary (tens of MB) for nothing.
import { francAll } from 'franc-min';

import { fold } from './hunspell.js';
import { LANGUAGES } from './languages.js';

const BY_FRANC = new Map(
  Object.entries(LANGUAGES)
    .filter(([code, l]) => l.franc && l.script === 'latin' && (code === 'en' || l.dictionary))
    .map(([code, l]) => [l.franc!, code]),
);
const ONLY = [...BY_FRANC.keys()];

/** Fewer letters than this (in words with a lower-case letter) and the answer is 'und'. */
export const MIN_LETTERS = 40;
/** In a tie, the chosen dictionary must know at least this share of the page's distinct words. */
export const MIN_KNOWN = 0.5;
/** Trigram scores (1 = best) closer than this to the best are a tie for the dictionaries to break. */
export const TIE_MARGIN = 0.01;

/** The words that tell a language: paths, options, identifiers, addresses and numbers do not. */
export function proseWords(text: string): string[] {
  return text
    .split(/\s+/)
    .filter((t) => !/[\\/_=@#$%{}<>|~^`*]|\p{L}[.:]\p{L}|^-|\d/u.test(t))
    .flatMap((t) => t.match(/\p{L}{2,}/gu) ?? []);
}

/** Does a language's dictionary know this (folded) word? */
export type Knows = (lang: string, folded: string) => boolean | undefined;

/** ISO 639-1 code of the page's language, or 'und'. Only Latin-script languages are told apart. */
export function detectLanguage(text: string, knows?: Knows): string {
  const words = proseWords(text);
  const sample = words.join(' ').slice(0, 4000);
  const evidence = words.filter((w) => /\p{Ll}/u.test(w)).reduce((n, w) => n + w.length, 0);
  if (evidence < MIN_LETTERS) return 'und';
  const ranked = francAll(sample, { only: ONLY, minLength: MIN_LETTERS })
    .map(([code, score]) => [BY_FRANC.get(code), score] as const)
    .filter((r): r is readonly [string, number] => r[0] !== undefined);
  if (!ranked.length) return 'und';
  // English keeps the answer when it is first; otherwise the languages within the margin, English
  // among them, are a tie for the dictionaries to break.
  if (ranked[0][0] === 'en' || !knows) return ranked[0][0];
  const close = ranked.filter(([, s]) => s >= ranked[0][1] - TIE_MARGIN).map(([c]) => c);
  if (close.length < 2) return ranked[0][0];
  const distinct = [...new Set(words.filter((w) => w.length >= 3).map(fold))].slice(0, 300);
  let best = ranked[0][0];
  let bestHits = -1;
  for (const lang of close) {
    let hits = 0;
    for (const w of distinct) {
      const k = knows(lang, w);
      if (k === undefined) return ranked[0][0]; // no dictionary: keep the trigram answer
      if (k) hits++;
    }
    if (hits > bestHits) [best, bestHits] = [lang, hits];
  }
  return bestHits >= MIN_KNOWN * distinct.length ? best : 'und';
}
