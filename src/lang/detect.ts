// The language of a page from its recognized text (franc-min trigram models), among the languages
// this service can do something for: English and the languages with a dictionary (detecting Czech
// among every Latin language gives Croatian on accent-less OCR text; a language we cannot act on is
// no use to name). Accent-less OCR text still detects well: trigrams of "etre",
// "sie", "nao" are as telling as those of "être", "się", "não".
import { franc } from 'franc-min';

import { LANGUAGES } from './languages.js';

const BY_FRANC = new Map(
  Object.entries(LANGUAGES)
    .filter(([code, l]) => l.franc && l.script === 'latin' && (code === 'en' || l.dictionary))
    .map(([code, l]) => [l.franc!, code]),
);
const ONLY = [...BY_FRANC.keys()];

/** Fewer letters than this and the answer is 'und' (undetermined). */
export const MIN_LETTERS = 40;

/** ISO 639-1 code of the page's language, or 'und'. Only Latin-script languages are told apart. */
export function detectLanguage(text: string): string {
  // Words only: code punctuation, numbers and paths say nothing about the language.
  const words = text.match(/\p{L}{2,}/gu) ?? [];
  const sample = words.join(' ').slice(0, 4000);
  if (sample.replace(/\s/g, '').length < MIN_LETTERS) return 'und';
  const code = franc(sample, { only: ONLY, minLength: MIN_LETTERS });
  return BY_FRANC.get(code) ?? 'und';
}
