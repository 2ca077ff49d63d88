// Punctuation the bundled model cannot emit, put back where its output is unambiguous: French
// guillemets (read as standalone "<" and ">"), Spanish ¿ ¡ (read as "?" / "!" before a word), the
// en dash (a standalone "-" between two words). Works on a line's tokens (its words), one for one,
// so word boxes stay aligned. Lines that look like code are never touched.

/** Signs of a code listing, a shell session or a formula: the line is left as it is. */
const CODE_LINE = /[{}=$\\|`]|->|<-|<<|>>|&&|::|^\s*[#%]|\(\)|;\s*$/;
const LETTER = /\p{L}/u;

export function isCodeLine(text: string): boolean {
  return CODE_LINE.test(text);
}

const OPEN = /^([([]?)<$/;
const CLOSE = /^>([)\].,;:!?]*)$/;

function guillemets(tokens: string[]): string[] {
  const opens = tokens.flatMap((t, i) => (OPEN.test(t) ? [i] : []));
  const closes = tokens.flatMap((t, i) => (CLOSE.test(t) ? [i] : []));
  if (!opens.length && !closes.length) return tokens;
  const out = [...tokens];
  const wordAt = (i: number) => i >= 0 && i < tokens.length && LETTER.test(tokens[i]);
  for (const i of opens) {
    // « opens a quotation: a word follows; paired with a later », or the quote runs on to the next line.
    const paired = closes.some((j) => j > i + 1);
    if (wordAt(i + 1) && (paired || !closes.length)) out[i] = tokens[i].replace('<', '«');
  }
  for (const j of closes) {
    const paired = opens.some((i) => i < j - 1);
    if (wordAt(j - 1) && (paired || !opens.length)) out[j] = tokens[j].replace('>', '»');
  }
  return out;
}

function invertedMarks(tokens: string[]): string[] {
  const text = tokens.join(' ');
  return tokens.map((t, i) => {
    const m = /^([?!])(\p{Lu}\p{Ll}*|\p{Ll}+)(.*)$/u.exec(t);
    if (!m) return t;
    // Only when the sentence closes with the same mark later on the line.
    const rest = tokens.slice(i).join(' ').slice(1);
    if (!rest.includes(m[1]) && !text.endsWith(m[1])) return t;
    return (m[1] === '?' ? '¿' : '¡') + t.slice(1);
  });
}

/** The closing mark of „…“ quotations: Polish „…”, German and Czech „…“. */
const LOW_CLOSE: Record<string, string> = { pl: '”', de: '“', cs: '“' };

/**
 * Polish, German, Czech „ read as a comma glued to the next word (",overfull"): a low-9 quote when
 * a closing quote (" ' ” “) follows on the line; that closing mark becomes the language's own.
 */
function lowQuotes(tokens: string[], lang: string): string[] {
  const close = LOW_CLOSE[lang];
  const out = [...tokens];
  for (let i = 0; i < out.length; i++) {
    if (!/^,,?\p{L}/u.test(out[i])) continue;
    // The closing quote: this token or a later one ending in a quote before any trailing punctuation.
    for (let j = i; j < out.length && j < i + 12; j++) {
      if (j > i && /^["'”“„(]/.test(out[j])) break; // another quotation or a call's argument opens first
      const t = j === i ? out[j].replace(/^,,?/, '') : out[j];
      const m = /^(.*\p{L}[^"'”“]*?)(["'”“]+)([.,;:!?)]*)$/u.exec(t);
      if (!m) continue;
      out[i] = '„' + out[i].replace(/^,,?/, '');
      const fixed = m[1] + close + m[3];
      out[j] = j === i ? '„' + fixed : fixed;
      i = j;
      break;
    }
  }
  return out;
}

function enDashes(tokens: string[]): string[] {
  return tokens.map((t, i) => {
    if (t !== '-' || i === 0 || i === tokens.length - 1) return t;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    // word – word, never an option (-x), a number range or arithmetic (a - b with one-letter names).
    if (!/\p{L}{2,}[,;.]?$/u.test(prev) || !/^\p{L}{2,}/u.test(next)) return t;
    return '–';
  });
}

/** The line's tokens with the unambiguous fix-ups for `lang` applied (same count, same order). */
export function fixPunctuation(tokens: string[], lang: string): string[] {
  if (isCodeLine(tokens.join(' '))) return tokens;
  let out = tokens;
  if (lang === 'fr') out = guillemets(out);
  if (lang === 'es') out = invertedMarks(out);
  if (LOW_CLOSE[lang]) out = lowQuotes(out, lang);
  if (lang !== 'en' && lang !== 'und') out = enDashes(out);
  return out;
}
