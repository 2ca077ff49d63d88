// A table's grid from its box, its words and its ruling lines: rows, columns, spans, cells.
//   columns: at the vertical rules inside the box, or (none there) just left of the column starts
//     where words of several rows start after a column gap;
//   rows: at the horizontal rules and shade edges, or where a text row starts a new first-column
//     cell (a row without a word in the first column, closer to the row above than rows are to
//     each other, continues a wrapped cell);
//   spans: two neighbouring cells are one where the rule between them is missing, or a word
//     crosses the gap between them.
import type { HLine, VLine } from './segments.js';
import type { Box, R, Table, TableCell, Word } from './types.js';

export interface GridInput {
  box: R;
  words: Word[];
  hs: HLine[];
  vs: VLine[];
  /** Text height of the page. */
  h: number;
}

export interface Grid extends Table {
  /** Per cell (same order as `cells`): its words in reading order. */
  cellWords: Word[][];
}

const cy = (w: R) => (w.y0 + w.y1) / 2;
const cx = (w: R) => (w.x0 + w.x1) / 2;

/** Text rows: words whose centres lie within half a text height, top to bottom, left to right. */
export function textRows(words: Word[], h: number): Word[][] {
  const rows: Word[][] = [];
  for (const w of [...words].sort((a, b) => cy(a) - cy(b))) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(cy(w) - cy(row[row.length - 1])) <= 0.5 * h) row.push(w);
    else rows.push([w]);
  }
  for (const r of rows) r.sort((a, b) => a.x0 - b.x0);
  return rows;
}

/** Positions within `tol` as one (their mean). */
function cluster(ps: number[], tol: number): number[] {
  const out: number[][] = [];
  for (const p of [...ps].sort((a, b) => a - b)) {
    const c = out[out.length - 1];
    if (c && p - c[c.length - 1] <= tol) c.push(p);
    else out.push([p]);
  }
  return out.map((c) => c.reduce((s, x) => s + x, 0) / c.length);
}

/**
 * Column starts: where, in several rows, a word starts after a column gap (the rows' pieces line
 * up on their left edges). A boundary sits just left of each; a word across one makes a span.
 */
export function startColumns(rows: Word[][], h: number): number[] {
  const starts: { x: number; row: number }[] = [];
  rows.forEach((r, k) => {
    for (let i = 1; i < r.length; i++) if (r[i].x0 - r[i - 1].x1 >= GAP * h) starts.push({ x: r[i].x0, row: k });
  });
  const multiRows = new Set(starts.map((s) => s.row)).size;
  starts.sort((a, b) => a.x - b.x);
  const groups: { x: number; row: number }[][] = [];
  for (const s of starts) {
    const g = groups[groups.length - 1];
    if (g && s.x - g[g.length - 1].x <= 0.6 * h) g.push(s);
    else groups.push([s]);
  }
  const out: number[] = [];
  for (const g of groups) {
    const support = new Set(g.map((s) => s.row)).size;
    if (support < 2 || support < 0.25 * multiRows) continue;
    const x = Math.min(...g.map((s) => s.x)) - 0.2 * h;
    if (!out.length || x - out[out.length - 1] >= h) out.push(x);
  }
  return out;
}

/** Share of [a, b] covered by the segments [s, t]. */
function coverage(segs: [number, number][], a: number, b: number): number {
  if (b <= a) return 1;
  const parts = segs
    .map(([s, t]) => [Math.max(s, a), Math.min(t, b)])
    .filter(([s, t]) => t > s)
    .sort((p, q) => p[0] - q[0]);
  let covered = 0,
    reach = a;
  for (const [s, t] of parts) {
    if (t <= reach) continue;
    covered += t - Math.max(s, reach);
    reach = t;
  }
  return covered / (b - a);
}

export function buildGrid(input: GridInput): Grid | undefined {
  const { box, words, h } = input;
  if (words.length < 2) return undefined;
  const inside = 0.5 * h;
  const vIn = input.vs.filter((v) => v.x > box.x0 + inside && v.x < box.x1 - inside && v.y1 - v.y0 >= 1.2 * h);
  const hIn = input.hs.filter((s) => s.y > box.y0 + 0.3 * h && s.y < box.y1 - 0.3 * h);
  const rows = textRows(words, h);
  // Columns.
  const ruledCols = vIn.length > 0;
  let xs = ruledCols
    ? cluster(
        vIn.map((v) => v.x),
        inside,
      )
    : startColumns(rows, h);
  // Rows: a text row opens a table row when it has a word in the first column.
  const colOf = (x: number) => xs.filter((b) => b < x).length;
  const hasFirst = rows.map((r, k) => k === 0 || r.some((w) => colOf(w.x0 + 0.1 * h) === 0));
  // A row without a first-column word continues a wrapped cell only when it sits closer to the row
  // above than rows do to each other (else the first cell is empty, or its mark was not read).
  const gapAbove = (k: number) => Math.min(...rows[k].map((w) => w.y0)) - Math.max(...rows[k - 1].map((w) => w.y1));
  const rowGaps = rows
    .map((_, k) => (k && hasFirst[k] ? gapAbove(k) : NaN))
    .filter((g) => !Number.isNaN(g))
    .sort((a, b) => a - b);
  const rowGap = rowGaps.length ? rowGaps[rowGaps.length >> 1] : Infinity;
  const opens = rows.map((_, k) => hasFirst[k] || gapAbove(k) > rowGap - 0.25 * h);
  const textYs: number[] = [];
  rows.forEach((r, k) => {
    if (k && opens[k]) textYs.push((Math.max(...rows[k - 1].map((w) => w.y1)) + Math.min(...r.map((w) => w.y0))) / 2);
  });
  const ruleYs = cluster(
    hIn.map((s) => s.y),
    inside,
  ).filter((y) => !words.some((w) => y > w.y0 + 0.3 * (w.y1 - w.y0) && y < w.y1 - 0.3 * (w.y1 - w.y0)));
  const ruledRows = ruleYs.length > 0 && ruleYs.length >= 0.5 * textYs.length;
  let ys = ruledRows
    ? ruleYs
    : cluster([...ruleYs, ...textYs.filter((y) => !ruleYs.some((r) => Math.abs(r - y) < 1.5 * h))], inside);
  // Bands without a word (between the two edges of a white gap, a shaded margin) go.
  const occupied = (bs: number[], lo: number, hi: number, pos: (w: Word) => number) => {
    const edges = [lo, ...bs, hi];
    const used = edges.slice(1).map((e, k) => words.some((w) => pos(w) > edges[k] && pos(w) < e));
    // A boundary only between two used bands: the one just before the later band.
    const usedAt = used.map((u, k) => (u ? k : -1)).filter((k) => k >= 0);
    return usedAt.slice(1).map((j) => bs[j - 1]);
  };
  xs = occupied(xs, box.x0, box.x1, cx);
  ys = occupied(ys, box.y0, box.y1, cy);
  const nC = xs.length + 1,
    nR = ys.length + 1;
  if (nC < 2 || nR < 2) return undefined;
  const X = [box.x0, ...xs, box.x1],
    Y = [box.y0, ...ys, box.y1];
  const at = (bs: number[], p: number) => bs.filter((b) => b < p).length;
  // Spans: union-find over the grid's cells.
  const parent = Array.from({ length: nR * nC }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const unite = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  const vSegs = (x: number) =>
    input.vs.filter((v) => Math.abs(v.x - x) <= inside).map((v) => [v.y0, v.y1] as [number, number]);
  const hSegs = (y: number) =>
    input.hs.filter((s) => Math.abs(s.y - y) <= inside).map((s) => [s.x0, s.x1] as [number, number]);
  for (let r = 0; r < nR; r++) {
    for (let c = 0; c < nC - 1; c++) {
      const x = X[c + 1];
      const crossed = words.some((w) => at(Y, cy(w)) - 1 === r && w.x0 < x - 0.2 * h && w.x1 > x + 0.2 * h);
      const missing = ruledCols && coverage(vSegs(x), Y[r] + 0.2 * h, Y[r + 1] - 0.2 * h) < 0.5;
      if (crossed || missing) unite(r * nC + c, r * nC + c + 1);
    }
  }
  if (ruledRows) {
    for (let r = 0; r < nR - 1; r++) {
      for (let c = 0; c < nC; c++) {
        if (coverage(hSegs(Y[r + 1]), X[c] + 0.2 * h, X[c + 1] - 0.2 * h) < 0.5) unite(r * nC + c, (r + 1) * nC + c);
      }
    }
  }
  // Groups as rectangles: a group takes in every cell of its bounding rectangle.
  for (let changed = true; changed;) {
    changed = false;
    const ext = new Map<number, [number, number, number, number]>();
    for (let i = 0; i < nR * nC; i++) {
      const g = find(i),
        r = Math.floor(i / nC),
        c = i % nC;
      const e = ext.get(g);
      ext.set(g, e ? [Math.min(e[0], r), Math.min(e[1], c), Math.max(e[2], r), Math.max(e[3], c)] : [r, c, r, c]);
    }
    for (const [g, [r0, c0, r1, c1]] of ext) {
      for (let r = r0; r <= r1; r++)
        for (let c = c0; c <= c1; c++) {
          if (find(r * nC + c) === find(g)) continue;
          unite(r * nC + c, g);
          changed = true;
        }
    }
  }
  const cells: TableCell[] = [];
  const cellWords: Word[][] = [];
  const index = new Map<number, number>();
  for (let r = 0; r < nR; r++) {
    for (let c = 0; c < nC; c++) {
      const g = find(r * nC + c);
      if (index.has(g)) continue;
      let r1 = r,
        c1 = c;
      while (r1 + 1 < nR && find((r1 + 1) * nC + c) === g) r1++;
      while (c1 + 1 < nC && find(r * nC + c1 + 1) === g) c1++;
      index.set(g, cells.length);
      const bbox: Box = [X[c], Y[r], X[c1 + 1], Y[r1 + 1]].map(Math.round) as Box;
      cells.push({ row: r, col: c, rowspan: r1 - r + 1, colspan: c1 - c + 1, bbox, text: '', header: false });
      cellWords.push([]);
    }
  }
  for (const w of words) {
    const r = Math.min(nR - 1, Math.max(0, at(Y, cy(w)) - 1));
    const c = Math.min(nC - 1, Math.max(0, at(X, w.x0 + 0.1 * h) - 1));
    cellWords[index.get(find(r * nC + c))!].push(w);
  }
  cells.forEach((cell, k) => {
    const ws = textRows(cellWords[k], h).flat();
    cellWords[k] = ws;
    cell.text = ws.map((w) => w.text).join(' ');
  });
  // Header: the first row when a rule sets it off from a body that has none between its rows.
  if (!ruledRows && ys.length && ruleYs.some((y) => Math.abs(y - ys[0]) < 1.5 * h))
    for (const c of cells) if (c.row === 0) c.header = true;
  const bbox: Box = [box.x0, box.y0, box.x1, box.y1].map(Math.round) as Box;
  return { bbox, rows: nR, cols: nC, cells, cellWords };
}

/** Least gap between two word columns, in text heights (a space between words is about 0.3). */
export const GAP = 1.1;
