// Language post-processing of recognized lines, in the OCR worker thread after the engine:
// the page's language (given, or detected from its text), accents restored from a dictionary when
// the model set cannot read them, and unambiguous punctuation fix-ups. Text only: boxes and
// confidences are kept; a line's words (when present) are changed one for one and the line's text
// rebuilt from them.
import type { OcrLine } from '../native/engine.js';
import { ALL_STEPS, DiacriticRestorer, type RestoreSteps } from './diacritics.js';
import { dictionaryFor } from './dictionaries.js';
import { detectLanguage } from './detect.js';
import { LANGUAGES } from './languages.js';
import { brokenWords, englishLines } from './english-lines.js';
import { fold } from './hunspell.js';
import { fixPunctuation } from './punctuation.js';
import { CYRILLIC_PAGE, cyrillicLanguage, cyrillicShare, oneScriptLine } from './script.js';

export interface PostprocessOptions {
  /** ISO 639-1 code, or 'auto' / undefined to detect it from the text. */
  lang?: string;
  /** Restore accents from the language's dictionary. Default true. */
  diacritics?: boolean;
  /** Punctuation fix-ups (« », ¿ ¡, –). Default true. */
  punctuation?: boolean;
}

export interface PostprocessResult<L> {
  lines: L[];
  /** The language used: given, detected, or 'und' when it could not be told. */
  language: string;
  /** Words whose accents were restored. */
  restored: number;
}

interface Word {
  text: string;
}
type Line = Pick<OcrLine, 'text'> & { words?: Word[] };

// One restorer (and its word cache) per loaded dictionary and set of steps; a dictionary dropped
// from the thread's cache (dictionaries.ts keeps a few) takes its restorers with it.
const restorers = new WeakMap<object, Map<string, DiacriticRestorer>>();
function restorerFor(lang: string, steps: RestoreSteps): DiacriticRestorer | undefined {
  const dict = dictionaryFor(lang);
  if (!dict) return undefined;
  let bySteps = restorers.get(dict);
  if (!bySteps) restorers.set(dict, (bySteps = new Map()));
  const key = JSON.stringify(steps);
  let r = bySteps.get(key);
  if (!r) {
    r = new DiacriticRestorer(dict.index, lang, steps, (w) => isWord('en', w));
    bySteps.set(key, r);
  }
  return r;
}

/** Whether `lower` is itself a word of `lang` (its dictionary loaded on first use). */
const isWord = (lang: string, lower: string) => dictionaryFor(lang)?.index.forms(fold(lower)).has(lower) ?? false;

const knows = (lang: string, folded: string) => {
  const d = dictionaryFor(lang);
  return d ? d.index.forms(folded).size > 0 : undefined;
};

/** The page's language: the given one, else detected from the lines' text (a Cyrillic page by its letters). */
export function pageLanguage(lines: Line[], lang?: string): string {
  if (lang && lang !== 'auto') return lang;
  const text = lines.map((l) => l.text).join('\n');
  if (cyrillicShare(text) >= CYRILLIC_PAGE) return cyrillicLanguage(text);
  return detectLanguage(text, knows);
}

/** A Cyrillic page's lines with one script per word (look-alike letters mapped). */
function cyrillicLines<L extends Line>(lines: L[]): L[] {
  return lines.map((line) => {
    const tokens = line.words ? line.words.map((w) => w.text) : line.text.split(' ');
    const fixed = oneScriptLine(tokens);
    if (fixed.every((t, i) => t === tokens[i])) return line;
    if (line.words) {
      const words = line.words.map((w, i) => (fixed[i] === w.text ? w : { ...w, text: fixed[i] }));
      return { ...line, words, text: words.map((w) => w.text).join(' ') };
    }
    return { ...line, text: fixed.join(' ') };
  });
}

/**
 * Post-processes one page's lines (returns new line objects; the input is not modified).
 * Accents are restored only for Latin-script languages with a dictionary, and only when
 * `readsAccents` is false (the model set lacks the letters, like PP-OCRv4, or misses a few, like
 * PP-OCRv6 tiny); `restoreSteps` turns the other fix-ups on or off per model set.
 */
export function postprocessLines<L extends Line>(
  lines: L[],
  opts: PostprocessOptions & { readsAccents?: boolean; restoreSteps?: Partial<RestoreSteps> } = {},
): PostprocessResult<L> {
  const language = pageLanguage(lines, opts.lang);
  const info = LANGUAGES[language];
  if (info?.script === 'cyrillic') return { lines: cyrillicLines(lines), language, restored: 0 };
  if (!info || info.script !== 'latin') return { lines, language, restored: 0 };
  const restorer =
    opts.diacritics !== false && !opts.readsAccents
      ? restorerFor(language, { ...ALL_STEPS, ...opts.restoreSteps })
      : undefined;
  let restored = 0;
  const allTokens = lines.map((line) => (line.words ? line.words.map((w) => w.text) : line.text.split(' ')));
  const english = restorer && language !== 'en' ? englishLines(allTokens, isWord, language) : [];
  const broken = restorer ? brokenWords(allTokens) : [];
  const out = lines.map((line, li) => {
    const tokens = allTokens[li];
    let fixed = tokens;
    if (restorer && !english[li]) {
      fixed = tokens.map((t, ti) => {
        const r = t && !broken[li][ti] ? restorer.token(t) : t;
        if (r !== t) restored++;
        return r;
      });
    }
    if (opts.punctuation !== false) fixed = fixPunctuation(fixed, language);
    if (fixed.every((t, i) => t === tokens[i])) return line;
    if (line.words) {
      const words = line.words.map((w, i) => (fixed[i] === w.text ? w : { ...w, text: fixed[i] }));
      return { ...line, words, text: words.map((w) => w.text).join(' ') };
    }
    return { ...line, text: fixed.join(' ') };
  });
  return { lines: out, language, restored };
}
