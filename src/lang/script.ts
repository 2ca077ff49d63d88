// Cyrillic script: telling a Cyrillic page from the default set's reading (which has no Cyrillic
// letters and reads one as Latin look-alikes), which Cyrillic language a page is in, and one script
// per word. The PP-OCRv5 Cyrillic recognizers read both alphabets and mix them inside a word in
// about 5% of their output ("Lиvе", "httрs://tug.оrg"): a mixed word is mapped to one script.
import { francAll } from 'franc-min';

const LATIN = /\p{Script=Latin}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;

/** Cyrillic letters among all Latin and Cyrillic letters of a text (0 when it has none). */
export function cyrillicShare(text: string): number {
  let cyr = 0;
  let lat = 0;
  for (const ch of text) {
    if (CYRILLIC.test(ch)) cyr++;
    else if (LATIN.test(ch)) lat++;
  }
  return cyr + lat ? cyr / (cyr + lat) : 0;
}

/** A page whose Cyrillic reading has at least this share of Cyrillic letters is a Cyrillic page. */
export const CYRILLIC_PAGE = 0.4;

// Letters drawn alike in both alphabets (Latin -> Cyrillic); the reverse map adds the Cyrillic-only
// letters of other languages that look like Latin ones (і, ј, ѕ).
const TO_CYR: Record<string, string> = {
  a: 'а',
  c: 'с',
  e: 'е',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  A: 'А',
  B: 'В',
  C: 'С',
  E: 'Е',
  H: 'Н',
  K: 'К',
  M: 'М',
  O: 'О',
  P: 'Р',
  T: 'Т',
  X: 'Х',
  Y: 'У',
};
const TO_LAT: Record<string, string> = { і: 'i', І: 'I', ј: 'j', Ј: 'J', ѕ: 's', Ѕ: 'S' };
for (const [l, c] of Object.entries(TO_CYR)) TO_LAT[c] ??= l;

/** A token that is an address, path, command or identifier: Latin whatever its letters. */
const TECHNICAL = /:\/\/|^\\|[\\@_{}]|\p{L}[./]\p{L}|^--?\p{L}/u;

function scriptCounts(s: string): { lat: number; cyr: number } {
  let lat = 0;
  let cyr = 0;
  for (const ch of s) {
    if (TO_CYR[ch] || TO_LAT[ch]) continue; // a look-alike tells nothing
    if (LATIN.test(ch)) lat++;
    else if (CYRILLIC.test(ch)) cyr++;
  }
  return { lat, cyr };
}

/**
 * One script per word: a token mixing Latin and Cyrillic letters takes the script of its letters
 * that have no look-alike (a tie: the line's script, `lineCyrillic`), technical tokens are Latin,
 * and its look-alike letters are mapped to that script. Other letters stay as read.
 */
export function oneScript(token: string, lineCyrillic: boolean): string {
  if (!LATIN.test(token) || !CYRILLIC.test(token)) return token;
  let toLatin: boolean;
  if (TECHNICAL.test(token)) toLatin = true;
  else {
    const { lat, cyr } = scriptCounts(token);
    toLatin = lat === cyr ? !lineCyrillic : lat > cyr;
  }
  const map = toLatin ? TO_LAT : TO_CYR;
  let out = '';
  for (const ch of token) out += map[ch] ?? ch;
  return out;
}

/** The tokens of a line with one script each; the line's script is its unambiguous letters' majority. */
export function oneScriptLine(tokens: string[]): string[] {
  const { lat, cyr } = scriptCounts(tokens.join(' '));
  return tokens.map((t) => oneScript(t, cyr >= lat));
}

const FRANC: Record<string, string> = {
  rus: 'ru',
  ukr: 'uk',
  bel: 'be',
  bul: 'bg',
  srp: 'sr',
  mkd: 'mk',
  kaz: 'kk',
  khk: 'mn',
};

/**
 * The Cyrillic language of a text: letters only one language uses decide first (і ї є ґ Ukrainian,
 * ў Belarusian, ә ғ қ ң ұ һ Kazakh, ѓ ќ ѕ Macedonian, ђ ћ Serbian), then trigrams among the rest.
 */
export function cyrillicLanguage(text: string): string {
  const letters = [...text.toLowerCase()].filter((c) => CYRILLIC.test(c));
  const n = letters.length || 1;
  const share = (set: string) => letters.filter((c) => set.includes(c)).length / n;
  if (share('әғқңұһ') > 0.005) return 'kk';
  if (share('ѓќѕ') > 0.001) return 'mk';
  if (share('ђћ') > 0.001) return 'sr';
  if (share('ў') > 0.002) return 'be';
  if (share('їєґ') > 0.002 || (share('і') > 0.01 && share('ыэъ') < 0.002)) return 'uk';
  const words = text
    .split(/\s+/)
    .filter((w) => CYRILLIC.test(w))
    .join(' ');
  const ranked = francAll(words.slice(0, 4000), { only: Object.keys(FRANC), minLength: 10 });
  const best = FRANC[ranked[0]?.[0] ?? ''];
  // Bulgarian has no ы or э: trigrams that nearly tie on a short technical page do not outvote them.
  if (best === 'bg' && share('ыэ') > 0.003) return 'ru';
  if (best && best !== 'uk' && best !== 'be' && best !== 'kk' && best !== 'mk' && best !== 'sr') return best;
  // Trigrams alone name a letter-marked language for a text without its letters: Russian or Bulgarian.
  return share('ъ') > 0.01 && share('ыэ') < 0.002 ? 'bg' : 'ru';
}

/**
 * Whether the default set's reading looks like a Cyrillic page read with Latin letters only (its
 * dictionary has no Cyrillic): many words with a capital after a small letter or a digit between
 * letters ("6bITb", "PyCCKNN"), and low confidence. Measured on the corpus: Cyrillic pages 0.48-0.67
 * of words odd and confidence 0.83-0.90; Latin pages at most 0.09 and 0.97 and up. Only a hint:
 * the page goes to a Cyrillic set only when that set's own reading is mostly Cyrillic.
 */
export function suggestsCyrillic(lines: { text: string; confidence: number }[]): boolean {
  let chars = 0;
  let confSum = 0;
  let words = 0;
  let odd = 0;
  for (const l of lines) {
    chars += l.text.length;
    confSum += l.confidence * l.text.length;
    for (const t of l.text.split(' ')) {
      if (!/\p{L}/u.test(t)) continue;
      words++;
      if (oddWord(t)) odd++;
    }
  }
  if (words < 5) return false;
  const conf = confSum / chars;
  if (odd / words > 0.2 || (odd / words > 0.1 && conf < 0.92)) return true;
  // A mostly Latin page with Cyrillic headings or paragraphs: two lines or more that look Cyrillic.
  return lines.filter(looksCyrillicLine).length >= 2;
}

/** A word odd in the way Cyrillic read as Latin is: a capital inside ("I3MeHgeT"), a digit between letters. */
function oddWord(t: string): boolean {
  return /\p{Ll}\p{Lu}/u.test(t) || /\p{L}\d\p{L}|^[036]\p{Ll}/u.test(t);
}

/**
 * A line of at least two words, half of them odd in the way Cyrillic read as Latin is
 * ("I3MeHgeT"), read with confidence under 0.95 (hex formats such as "OxRRGGBB" read at 0.99).
 */
function looksCyrillicLine(l: { text: string; confidence: number }): boolean {
  if (l.confidence >= 0.95) return false;
  const words = l.text.split(' ').filter((t) => /\p{L}{2}/u.test(t));
  if (words.length < 2) return false;
  const odd = words.filter(oddWord).length;
  return odd * 2 >= words.length;
}
