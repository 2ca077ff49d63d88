// A hunspell dictionary (.aff + .dic) read for one question: which words of the language fold
// (accents removed, see fold()) to a given string? Hunspell itself answers "is this a word"; it
// cannot enumerate, and expanding every affix of a Polish or Czech dictionary gives millions of
// forms. Instead the stems are indexed by their folded form and the affix rules are applied in
// reverse: strip a rule's (folded) ending, look the folded stem up, check the rule's flag and
// condition on the real stem, rebuild the real word. Memory is the size of the .dic, not of the
// expanded list. Supports SFX/PFX with conditions, cross products, two suffixes (continuation
// classes), FLAG char/long/num/UTF-8, AF aliases, NEEDAFFIX, ONLYINCOMPOUND, FORBIDDENWORD.
// Compounding rules are not applied: a compound not listed is "not a word" and left as it is.

/** Accent folding, with the look-alikes a Latin model without these letters emits (ł→l, ß→ss, œ→oe). */
const SPECIAL: Record<string, string> = {
  ł: 'l',
  ß: 'ss',
  ø: 'o',
  œ: 'oe',
  æ: 'ae',
  đ: 'd',
  ı: 'i',
  ŀ: 'l',
  ħ: 'h',
  ŧ: 't',
};
export function fold(s: string): string {
  const lower = s.toLowerCase();
  let out = '';
  for (const ch of lower.normalize('NFD')) {
    if (/\p{M}/u.test(ch)) continue;
    out += SPECIAL[ch] ?? ch;
  }
  return out;
}

interface Rule {
  flag: string;
  strip: string;
  add: string;
  /** fold(add), fold(strip): matched against the folded word. */
  fadd: string;
  fstrip: string;
  cond: RegExp | undefined;
  cross: boolean;
  /** Continuation flags (two-level suffixes, prefixes enabled by a suffix), as a string of flag chars. */
  cont: string;
}

type FlagType = 'char' | 'long' | 'num' | 'UTF-8';

interface Entry {
  word: string;
  flags: string;
}

export class HunspellIndex {
  readonly #stems = new Map<string, Entry | Entry[]>();
  readonly #suffixByLast = new Map<string, Rule[]>();
  readonly #prefixes: Rule[] = [];
  /** Suffix rules whose continuation allows a given (outer) suffix flag. */
  readonly #innerFor = new Map<string, Rule[]>();
  #needAffix = '\u0000';
  #onlyInCompound = '\u0000';
  #forbidden = '\u0000';
  /** Hunspell flags of any type, each mapped to one UTF-16 char so flag sets are short strings. */
  readonly #flagChar = new Map<string, string>();
  #flagType: FlagType = 'char';
  readonly #aliases: string[] = [];
  readonly stemCount: number;

  constructor(aff: string, dic: string) {
    this.#parseAff(aff);
    let n = 0;
    const lines = dic.split('\n');
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i].trim();
      if (!line || line.startsWith('#')) continue;
      const [word, flags] = splitEntry(line);
      if (!word) continue;
      const entry: Entry = { word, flags: flags ? this.#flags(flags) : '' };
      if (entry.flags.includes(this.#forbidden)) continue;
      const key = fold(word);
      const have = this.#stems.get(key);
      if (!have) this.#stems.set(key, entry);
      else if (Array.isArray(have)) have.push(entry);
      else this.#stems.set(key, [have, entry]);
      n++;
    }
    this.stemCount = n;
  }

  /** The words (lower case) of the dictionary whose fold() is `folded`. */
  forms(folded: string): Set<string> {
    const out = new Set<string>();
    for (const e of this.#entries(folded)) {
      if (!e.flags.includes(this.#needAffix) && !e.flags.includes(this.#onlyInCompound)) out.add(e.word.toLowerCase());
    }
    this.#suffixed(folded, (w) => out.add(w));
    for (const p of this.#prefixes) {
      if (!folded.startsWith(p.fadd)) continue;
      const rest = p.fstrip + folded.slice(p.fadd.length);
      for (const e of this.#entries(rest)) {
        const lw = e.word.toLowerCase();
        if (e.flags.includes(p.flag) && lw.startsWith(p.strip) && (!p.cond || p.cond.test(lw)))
          out.add(p.add + lw.slice(p.strip.length));
      }
      if (!p.cross) continue;
      this.#suffixed(rest, (w, flags, cross) => {
        if (cross && flags.includes(p.flag) && w.startsWith(p.strip) && (!p.cond || p.cond.test(w)))
          out.add(p.add + w.slice(p.strip.length));
      });
    }
    for (const w of out) if (fold(w) !== folded) out.delete(w);
    return out;
  }

  #entries(key: string): Entry[] {
    const e = this.#stems.get(key);
    return e === undefined ? [] : Array.isArray(e) ? e : [e];
  }

  /**
   * Words made of a stem and one or two suffixes that fold to `folded`; emit gets the word, its flags, cross-product.
   */
  #suffixed(folded: string, emit: (word: string, flags: string, cross: boolean) => void): void {
    for (const s of this.#suffixCandidates(folded)) {
      const base = folded.slice(0, folded.length - s.fadd.length) + s.fstrip;
      for (const e of this.#entries(base)) {
        const lw = e.word.toLowerCase();
        if (!e.flags.includes(s.flag) || !lw.endsWith(s.strip) || (s.cond && !s.cond.test(lw))) continue;
        emit(lw.slice(0, lw.length - s.strip.length) + s.add, e.flags + s.cont, s.cross);
      }
      // Two suffixes: an inner rule r (a flag of the stem) whose continuation holds s's flag.
      for (const r of this.#inner(s.flag, base)) {
        const base2 = base.slice(0, base.length - r.fadd.length) + r.fstrip;
        for (const e of this.#entries(base2)) {
          const lw = e.word.toLowerCase();
          if (!e.flags.includes(r.flag) || !lw.endsWith(r.strip) || (r.cond && !r.cond.test(lw))) continue;
          const inner = lw.slice(0, lw.length - r.strip.length) + r.add;
          if (!inner.endsWith(s.strip) || (s.cond && !s.cond.test(inner))) continue;
          emit(inner.slice(0, inner.length - s.strip.length) + s.add, e.flags + r.cont + s.cont, s.cross && r.cross);
        }
      }
    }
  }

  *#inner(flag: string, base: string): Generator<Rule> {
    for (const key of [flag, flag + base.slice(-1)]) {
      for (const r of this.#innerFor.get(key) ?? []) if (base.endsWith(r.fadd)) yield r;
    }
  }

  *#suffixCandidates(folded: string): Generator<Rule> {
    for (const key of ['', folded.slice(-1)]) {
      for (const r of this.#suffixByLast.get(key) ?? []) if (folded.endsWith(r.fadd)) yield r;
    }
  }

  #flagOf(raw: string): string {
    let c = this.#flagChar.get(raw);
    if (c === undefined) {
      c = String.fromCharCode(0x100 + this.#flagChar.size);
      this.#flagChar.set(raw, c);
    }
    return c;
  }

  /** A flag field (or an AF alias number) as a string of flag chars. */
  #flags(field: string): string {
    if (this.#aliases.length && /^\d+$/.test(field)) return this.#aliases[Number(field) - 1] ?? '';
    let raw: string[];
    if (this.#flagType === 'long') raw = field.match(/../gsu) ?? [];
    else if (this.#flagType === 'num') raw = field.split(',').filter(Boolean);
    else raw = [...field];
    return raw.map((f) => this.#flagOf(f)).join('');
  }

  #parseAff(aff: string): void {
    const lines = aff.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const parts = lines[i].trim().split(/\s+/);
      const [key] = parts;
      if (key === 'FLAG') this.#flagType = parts[1] as FlagType;
      else if (key === 'AF' && parts.length >= 2 && !/^\d+$/.test(parts[1])) this.#aliases.push(this.#flags(parts[1]));
      else if (key === 'NEEDAFFIX') this.#needAffix = this.#flagOf(parts[1]);
      else if (key === 'ONLYINCOMPOUND') this.#onlyInCompound = this.#flagOf(parts[1]);
      else if (key === 'FORBIDDENWORD') this.#forbidden = this.#flagOf(parts[1]);
      else if ((key === 'SFX' || key === 'PFX') && parts.length >= 4 && /^\d+$/.test(parts[3]) && parts.length <= 4) {
        const [, flagRaw, cross, count] = parts;
        const flag = this.#flagOf(flagRaw);
        for (let k = 0; k < Number(count) && i + 1 < lines.length; k++) {
          const p = lines[++i].trim().split(/\s+/);
          if (p[0] !== key || p.length < 4) continue;
          const strip = p[2] === '0' ? '' : p[2].toLowerCase();
          const [addRaw, contRaw] = p[3].split('/');
          const add = addRaw === '0' ? '' : addRaw.toLowerCase();
          const rule: Rule = {
            flag,
            strip,
            add,
            fadd: fold(add),
            fstrip: fold(strip),
            cond: condition(p[4] ?? '.', key === 'SFX'),
            cross: cross === 'Y',
            cont: contRaw ? this.#flags(contRaw) : '',
          };
          if (key === 'PFX') this.#prefixes.push(rule);
          else push(this.#suffixByLast, rule.fadd.slice(-1), rule);
        }
      }
    }
    for (const rules of this.#suffixByLast.values()) {
      for (const r of rules) for (const f of new Set(r.cont)) push(this.#innerFor, f + r.fadd.slice(-1), r);
    }
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** "word/FLAGS morph..." → [word, flags]; a slash escaped as \/ stays in the word. */
function splitEntry(line: string): [string, string] {
  const field = line.split(/\s+/)[0];
  const at = field.search(/(?<!\\)\//);
  if (at < 0) return [field.replace(/\\\//g, '/'), ''];
  return [field.slice(0, at).replace(/\\\//g, '/'), field.slice(at + 1)];
}

const conditions = new Map<string, RegExp | undefined>();
/** A hunspell condition ("[^aeo]k", ".") as an anchored RegExp over the lower-case stem. */
function condition(cond: string, suffix: boolean): RegExp | undefined {
  if (cond === '.') return undefined;
  const key = (suffix ? 's' : 'p') + cond;
  if (conditions.has(key)) return conditions.get(key);
  let src = '';
  let inClass = false;
  for (const ch of cond.toLowerCase()) {
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    if (inClass || ch === '[' || ch === ']' || ch === '.' || (ch === '^' && inClass)) src += ch;
    else src += ch.replace(/[\\^$*+?(){}|/-]/g, '\\$&');
  }
  let re: RegExp | undefined;
  try {
    re = new RegExp(suffix ? `(?:${src})$` : `^(?:${src})`, 'u');
  } catch {
    re = /$^/; // an unreadable condition never matches
  }
  conditions.set(key, re);
  return re;
}
