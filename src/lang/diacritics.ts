// Accent restoration for text read by a model that lacks a language's accented letters
// (PP-OCRv4 reads "etre", "compilacion", "zrodlo", "groBe"). A word is changed only when it is not
// itself a word of the language nor of English (technical pages in any language quote English:
// "the" is not French "thé"), and exactly one dictionary word folds to it; case is kept. A word
// with a capital is a name, a command or an acronym more often than a misread word ("Debian" is
// not Spanish "debían"): it is changed only where the model saw a mark in it ("Müžete"), except in
// German, where every noun has one.
import { type HunspellIndex, fold } from './hunspell.js';

const WORD = /^\p{L}+$/u;
/** Characters that mark a token as code, a path, an address or a formula: left alone. */
const CODE = /[\\/{}<>=_$#@|~^`*[\]]|\d|[a-z][A-Z]|\.\p{L}/u;

/** The dictionary word with the OCR'd word's capitalisation. */
export function withCase(ocr: string, word: string): string {
  if (ocr.length > 1 && ocr === ocr.toUpperCase()) return word.toUpperCase();
  const chars = [...ocr];
  const out = [...word];
  if (chars.length === out.length) {
    return out.map((c, i) => (chars[i] !== chars[i].toLowerCase() ? c.toUpperCase() : c)).join('');
  }
  return chars[0] !== chars[0].toLowerCase() ? out[0].toUpperCase() + out.slice(1).join('') : word;
}

/** Capitalisation the model may produce: all lower, Initial, or ALL CAPS; anything else is left alone. */
const plainCase = (w: string) =>
  w === w.toLowerCase() || w === w.toUpperCase() || w.slice(1) === w.slice(1).toLowerCase();

const marked = (c: string) => c !== fold(c);

/**
 * The one dictionary word the OCR'd word stands for, or undefined. Where the model did see a mark
 * (it emits é, á, ü... now and then), only words with a mark at that place qualify: "dediés" is
 * "dédiés", not "dédies", and a mark it saw is never taken away ("nąć" is not "nać"). Then
 * exactly one word must be left.
 */
function choose(forms: string[], ocr: string): string | undefined {
  const chars = [...ocr];
  if (!chars.some(marked)) return forms.length === 1 ? forms[0] : undefined;
  {
    const seen = forms.filter((f) => {
      const fc = [...f];
      return fc.length === chars.length && chars.every((c, i) => !marked(c) || marked(fc[i]));
    });
    if (seen.length === 1) return seen[0];
  }
  return undefined;
}

const LIGATURES = ['fi', 'fl', 'ff', 'ffi', 'ffl'];

/**
 * The fix-ups beside accent restoration, each on or off per model set (models/manifest.json
 * `restoreSteps`): each earned its place on one model's output and must earn it again on another's.
 */
export interface RestoreSteps {
  /** A lone "f" where a typeset fi/fl/ff/ffi/ffl ligature stood ("foating" → "floating"). */
  ligatures: boolean;
  /** German ü read as i or ui ("fir" → "für"). */
  misreadU: boolean;
  /** German ß read as a capital B inside a word ("groBe" → "große"). */
  sharpS: boolean;
  /** A 6 or & read for ó or á ("opci6n" → "opción"). */
  digits: boolean;
}
export const ALL_STEPS: RestoreSteps = { ligatures: true, misreadU: true, sharpS: true, digits: true };

export class DiacriticRestorer {
  readonly #index: HunspellIndex;
  readonly #lang: string;
  readonly #steps: RestoreSteps;
  readonly #english: (lower: string) => boolean;
  readonly #cache = new Map<string, string>();
  /** Words changed since creation (for reports). */
  changed = 0;

  /** english: whether a lower-case word is an English word (left as read on a page of any language). */
  constructor(
    index: HunspellIndex,
    lang: string,
    steps: RestoreSteps = ALL_STEPS,
    english: (lower: string) => boolean = () => false,
  ) {
    this.#index = index;
    this.#lang = lang;
    this.#steps = steps;
    this.#english = english;
  }

  /** One letters-only word, restored or as it was. */
  word(w: string): string {
    // One letter only when it carries a mark the model saw (Italian "é" for "è"); "a" stays.
    if ((w.length < 2 && !marked(w)) || w.length > 40 || !WORD.test(w)) return w;
    const hit = this.#cache.get(w);
    if (hit !== undefined) return hit;
    const out = this.#restore(w);
    if (this.#cache.size > 20_000) this.#cache.clear();
    this.#cache.set(w, out);
    return out;
  }

  #restore(w: string): string {
    if (!plainCase(w)) return (this.#steps.sharpS ? this.#sharpS(w) : undefined) ?? w;
    const lower = w.toLowerCase();
    // German capitalises every noun: there a capital says nothing about names.
    if (lower !== w && this.#lang !== 'de' && ![...w].some(marked)) return w;
    const forms = this.#index.forms(fold(lower));
    if (forms.has(lower) || this.#english(lower)) return w;
    if (forms.size === 0) {
      const read =
        (this.#steps.misreadU ? this.#misread(lower) : undefined) ??
        (this.#steps.ligatures ? this.#ligature(lower) : undefined);
      return read === undefined ? w : withCase(w, read);
    }
    const pick = choose([...forms], lower);
    return pick === undefined ? w : withCase(w, pick);
  }

  /**
   * Typeset text sets fi, fl, ff, ffi and ffl as one glyph, which the PP-OCR recognizers mostly
   * read as a lone "f" ("foating", "fle", "confict"). For a word nothing folds to, each "f" is
   * given each ligature's letters in turn; the one dictionary word that comes out (accents
   * restored with it) is taken, none or several leave the word as read.
   */
  #ligature(lower: string): string | undefined {
    const found = new Set<string>();
    for (let i = lower.indexOf('f'); i >= 0; i = lower.indexOf('f', i + 1)) {
      for (const lig of LIGATURES) {
        const candidate = lower.slice(0, i) + lig + lower.slice(i + 1);
        const forms = this.#index.forms(fold(candidate));
        if (forms.has(candidate)) found.add(candidate);
        else if (forms.size === 1) found.add([...forms][0]);
      }
    }
    return found.size === 1 ? [...found][0] : undefined;
  }

  /**
   * Letters the model reads as another letter, not as the bare vowel: German ü comes out as i or
   * ui ("fir", "iber", "erfuillen"). Tried only for a word nothing folds to; a candidate counts
   * only with ü where the i was, and exactly one must be left.
   */
  #misread(lower: string): string | undefined {
    if (this.#lang !== 'de' || !/i/.test(lower)) return undefined;
    const found = new Set<string>();
    const tries: [string, number][] = [];
    for (let i = lower.indexOf('i'); i >= 0; i = lower.indexOf('i', i + 1)) {
      tries.push([lower.slice(0, i) + 'ü' + lower.slice(i + 1), i]);
      if (lower[i + 1] === 'i' || lower[i - 1] === 'u') {
        const at = lower[i - 1] === 'u' ? i - 1 : i;
        tries.push([lower.slice(0, at) + 'ü' + lower.slice(at + 2), at]);
      }
    }
    for (const [v, at] of tries) {
      for (const f of this.#index.forms(fold(v)))
        if ([...f][at] === 'ü' && [...f].length === [...v].length) found.add(f);
    }
    return found.size === 1 ? [...found][0] : undefined;
  }

  /**
   * German ß comes out as a capital B inside a lower-case word ("groBe", "schlieBen"): read as ß
   * when the dictionary has such a word (then restored like any other; "große"/"größe" stays ß only).
   */
  #sharpS(w: string): string | undefined {
    if (this.#lang !== 'de' || !/\p{Ll}B/u.test(w)) return undefined;
    const sz = w.replace(/(?<=\p{Ll})B(?=\p{Ll}|$)/gu, 'ß');
    if (!plainCase(sz)) return undefined;
    const forms = this.#index.forms(fold(sz.toLowerCase()));
    if (forms.size === 0) return undefined;
    if (forms.has(sz.toLowerCase()) || forms.size > 1) return sz;
    return withCase(sz, [...forms][0]);
  }

  /**
   * A whitespace-free token: leading/trailing punctuation kept, parts split at apostrophes and
   * hyphens restored one by one (French elisions "l'echelle", compounds "peut-etre"). Code-like
   * tokens (paths, identifiers, digits, brackets) are returned unchanged.
   */
  token(t: string): string {
    // "opci6n", "6rdenes", "&rbol": a 6 (or &) standing for ó (or á), kept only when restored.
    const d = this.#steps.digits ? /^([^\p{L}\d&]*)(\p{L}*[6&]\p{L}*)([^\p{L}\d&]*)$/u.exec(t) : null;
    if (d && (d[2].match(/\p{L}/gu)?.length ?? 0) >= 3) {
      const v = d[2].replace('6', 'o').replace('&', 'a');
      const at = [...d[2]].findIndex((c) => c === '6' || c === '&');
      const lower = v.toLowerCase();
      const marks = [...this.#index.forms(fold(lower))].filter(
        (f) => [...f].length === [...lower].length && marked([...f][at]),
      );
      if (marks.length === 1 && plainCase(v)) return d[1] + withCase(v, marks[0]) + d[3];
    }
    const m = /^([^\p{L}]*)(.*?)([^\p{L}]*)$/su.exec(t);
    if (!m || !m[2]) return t;
    const [, lead, core, trail] = m;
    const sharp = this.#steps.sharpS ? this.#sharpS(core) : undefined;
    if (sharp) return lead + sharp + trail;

    if (CODE.test(core) || /[<>\\/{}=_$#@|~^`]/.test(lead + trail) || trail.startsWith('(')) return t;
    const whole = this.word(core);
    if (whole !== core || WORD.test(core)) return lead + whole + trail;
    const parts = core.split(/(['’-])/);
    if (parts.some((p, i) => i % 2 === 0 && p && !WORD.test(p))) return t;
    return lead + parts.map((p, i) => (i % 2 === 0 ? this.word(p) : p)).join('') + trail;
  }
}
