// Which lines of a page accent restoration leaves alone, whatever the page's language: lines in
// English (a French or Spanish manual quotes English commands, messages, whole sections) and the
// pieces of a word broken across lines ("osta-" / "teczny"), which are not words of any language.

const LETTERS = /^[^\p{L}]*(\p{L}{2,})[^\p{L}]*$/u;

/**
 * A line is English when, over it and its neighbours (the nearest thing to its block the engine
 * gives), more of its words are English but not of the page's language than the other way round:
 * a block decides, so one English word in French prose changes nothing and a French header over
 * an English page does not make the page's English French. Two such words at least: one ("fir",
 * "die") is chance.
 */
export function englishLines(
  lines: string[][],
  isWord: (lang: string, lower: string) => boolean,
  lang: string,
): boolean[] {
  const memo = new Map<string, number>();
  const side = (t: string) => {
    const m = LETTERS.exec(t);
    if (!m) return 0;
    const w = m[1].toLowerCase();
    let v = memo.get(w);
    if (v === undefined) {
      const en = isWord('en', w),
        own = isWord(lang, w);
      v = en && !own ? 1 : own && !en ? -1 : 0;
      memo.set(w, v);
    }
    return v;
  };
  const score = lines.map((tokens) => tokens.reduce((s, t) => s + side(t), 0));
  return score.map((_, i) => (score[i - 1] ?? 0) + score[i] + (score[i + 1] ?? 0) >= 2);
}

/** Per line, per token: whether the token is part of a word hyphenated across a line break. */
export function brokenWords(lines: string[][]): boolean[][] {
  return lines.map((tokens, i) => {
    const prev = lines[i - 1];
    const continues = prev !== undefined && prev.length > 0 && /\p{L}-$/u.test(prev[prev.length - 1]);
    return tokens.map((t, j) => (j === 0 && continues) || (j === tokens.length - 1 && /\p{L}-$/u.test(t)));
  });
}
