// Ruling lines from the engine's raw segments (strokes and shade edges, native/ocr/rulings.cc):
// collinear pieces joined, the edges of one rule or of one white gap between shaded cells taken
// as one line, and what is lettering or a text decoration (underlined links, inline code
// backgrounds, letter stems) dropped.
import type { Word } from './types.js';

export interface HLine {
  y: number;
  x0: number;
  x1: number;
}
export interface VLine {
  x: number;
  y0: number;
  y1: number;
}

/** Joins segments on one axis: positions within `tol`, pieces overlapping or `gap` apart. */
function join<T extends { p: number; a: number; b: number }>(
  segs: T[],
  tol: number,
  gap: number,
): { p: number; a: number; b: number }[] {
  const byPos = [...segs].sort((s, t) => s.p - t.p);
  // Bands of positions (a rule's two edges, a gap's two edges).
  const bands: T[][] = [];
  for (const s of byPos) {
    const band = bands[bands.length - 1];
    // Measured from the band's first piece: letter stems a few pixels apart must not chain a band across a cell.
    if (band && s.p - band[0].p <= tol) band.push(s);
    else bands.push([s]);
  }
  const out: { p: number; a: number; b: number }[] = [];
  for (const band of bands) {
    const pieces = [...band].sort((s, t) => s.a - t.a);
    let cur: { p: number; a: number; b: number; n: number; sum: number } | undefined;
    for (const s of pieces) {
      if (cur && s.a <= cur.b + gap) {
        cur.b = Math.max(cur.b, s.b);
        cur.sum += s.p;
        cur.n++;
      } else {
        if (cur) out.push({ p: cur.sum / cur.n, a: cur.a, b: cur.b });
        cur = { p: s.p, a: s.a, b: s.b, n: 1, sum: s.p };
      }
    }
    if (cur) out.push({ p: cur.sum / cur.n, a: cur.a, b: cur.b });
  }
  return out;
}

export function rulingLines(raw: number[][], words: Word[], h: number): { hs: HLine[]; vs: VLine[] } {
  const hRaw = raw
    .filter((s) => s[1] === s[3])
    .map((s) => ({ p: s[1], a: Math.min(s[0], s[2]), b: Math.max(s[0], s[2]) }));
  // A vertical piece shorter than a text line is a letter's stem (a cell's side is a line and its padding tall).
  const vRaw = raw
    .filter((s) => s[0] === s[2] && Math.abs(s[3] - s[1]) >= 0.9 * h)
    .map((s) => ({ p: s[0], a: Math.min(s[1], s[3]), b: Math.max(s[1], s[3]) }));
  const tol = 0.45 * h;
  const hs = join(hRaw, tol, 0.6 * h)
    .map((s) => ({ y: s.p, x0: s.a, x1: s.b }))
    .filter((s) => s.x1 - s.x0 >= 2 * h && !decoration(s, words, h));
  const vs = join(vRaw, tol, 0.6 * h)
    .map((s) => ({ x: s.p, y0: s.a, y1: s.b }))
    .filter((s) => s.y1 - s.y0 >= 1.2 * h && !throughWords(s, words, h));
  return { hs, vs };
}

/** Underline, overline or the edge of an inline highlight: no longer than the words of one line it hugs. */
function decoration(s: HLine, words: Word[], h: number): boolean {
  const hug = words.filter((w) => w.x1 > s.x0 && w.x0 < s.x1 && s.y >= w.y0 - 0.6 * h && s.y <= w.y1 + 0.6 * h);
  if (!hug.length) return false;
  const lines = new Set(hug.map((w) => w.line));
  if (lines.size > 1) return false;
  const x0 = Math.min(...hug.map((w) => w.x0));
  const x1 = Math.max(...hug.map((w) => w.x1));
  return s.x0 >= x0 - h && s.x1 <= x1 + h;
}

/** A letter stem or a highlight edge: the segment runs inside a word's box. */
function throughWords(s: VLine, words: Word[], h: number): boolean {
  // A first or last letter's stem lies on the word box's edge: a rule keeps some padding off it.
  const m = 0.1 * h;
  return words.some(
    (w) => s.x > w.x0 - m && s.x < w.x1 + m && Math.min(s.y1, w.y1) - Math.max(s.y0, w.y0) > 0.3 * (w.y1 - w.y0),
  );
}
