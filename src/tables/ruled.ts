// Ruled tables (grid lines, horizontal rules, shaded rows or cells): ruling lines that meet or
// stack up form a candidate; it is a table when it holds a grid of at least two rows and two
// columns with words in most rows' cells. A box around a code listing (two rules and two sides,
// nothing inside) is none.
import { GAP, type Grid, buildGrid, textRows } from './grid.js';
import type { HLine, VLine } from './segments.js';
import type { R, Word } from './types.js';

export function ruledTables(hs: HLine[], vs: VLine[], words: Word[], h: number): Grid[] {
  const n = hs.length + vs.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const t = 0.6 * h;
  for (let i = 0; i < hs.length; i++) {
    const a = hs[i];
    for (let j = i + 1; j < hs.length; j++) {
      const b = hs[j];
      const overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      // Stacked rules of about one width (booktabs rules, the edges of shaded rows).
      if (overlap >= 0.8 * Math.max(a.x1 - a.x0, b.x1 - b.x0) && Math.abs(a.y - b.y) <= 3 * h)
        parent[find(i)] = find(j);
    }
    for (let j = 0; j < vs.length; j++) {
      const v = vs[j];
      if (v.x >= a.x0 - t && v.x <= a.x1 + t && a.y >= v.y0 - t && a.y <= v.y1 + t)
        parent[find(i)] = find(hs.length + j);
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  const out: Grid[] = [];
  for (const members of groups.values()) {
    const gh = members.filter((i) => i < hs.length).map((i) => hs[i]);
    const gv = members.filter((i) => i >= hs.length).map((i) => vs[i - hs.length]);
    if (!gh.length) continue;
    const box: R = {
      x0: Math.min(...gh.map((s) => s.x0), ...gv.map((v) => v.x)),
      x1: Math.max(...gh.map((s) => s.x1), ...gv.map((v) => v.x)),
      y0: Math.min(...gh.map((s) => s.y), ...gv.map((v) => v.y0)),
      y1: Math.max(...gh.map((s) => s.y), ...gv.map((v) => v.y1)),
    };
    if (box.x1 - box.x0 < 4 * h || box.y1 - box.y0 < 1.5 * h) continue;
    const within = (w: R, b: R) =>
      (w.x0 + w.x1) / 2 > b.x0 && (w.x0 + w.x1) / 2 < b.x1 && (w.y0 + w.y1) / 2 > b.y0 && (w.y0 + w.y1) / 2 < b.y1;
    let inBox = words.filter((w) => within(w, box));
    if (inBox.length < 3) continue;
    // A header row above the first rule (a rule under the head, shaded rows below): a text row
    // right above the box, inside its width, in at least two pieces.
    const above = textRows(
      words.filter((w) => w.y1 <= box.y0 + 0.2 * h && w.y1 > box.y0 - 1.6 * h),
      h,
    ).pop();
    const open = !gv.some((v) => v.x > box.x0 + h && v.x < box.x1 - h);
    // A frame with one rule across it and no column rules: a boxed listing or screen (a row of
    // '=' under its title), not a table; a table without column rules has rows ruled or shaded.
    const inner = gh.filter((s) => s.y > box.y0 + 0.5 * h && s.y < box.y1 - 0.5 * h);
    if (open && new Set(inner.map((s) => Math.round(s.y / h))).size < 2) continue;
    const fits = (r: Word[] | undefined): r is Word[] =>
      !!r && r.every((w) => w.x0 >= box.x0 - 0.5 * h && w.x1 <= box.x1 + 0.5 * h) && pieces(r, h) >= 2;
    const head = open && fits(above);
    if (head) box.y0 = Math.min(...above!.map((w) => w.y0)) - 0.3 * h;
    // Likewise a last unshaded row under the last shaded one.
    const below = textRows(
      words.filter((w) => w.y0 >= box.y1 - 0.2 * h && w.y0 < box.y1 + 1.2 * h),
      h,
    )[0];
    if (open && gh.length >= 3 && fits(below)) box.y1 = Math.max(...below.map((w) => w.y1)) + 0.3 * h;
    inBox = words.filter((w) => within(w, box));
    const grid = buildGrid({ box, words: inBox, hs: gh, vs: gv, h });
    if (!grid || !tabular(grid)) continue;
    // A head row above the first rule is the header.
    if (head) for (const c of grid.cells) if (c.row === 0) c.header = true;
    out.push(grid);
  }
  return out;
}

/** Word groups of a row set apart by at least a column gap. */
export function pieces(row: Word[], h: number): number {
  let n = 1;
  for (let k = 1; k < row.length; k++) if (row[k].x0 - row[k - 1].x1 >= GAP * h) n++;
  return n;
}

/** Most rows have words in two cells or more. */
export function tabular(g: Grid): boolean {
  const filled = new Map<number, number>();
  g.cells.forEach((c, k) => {
    if (g.cellWords[k].length) filled.set(c.row, (filled.get(c.row) ?? 0) + 1);
  });
  const multi = [...filled.values()].filter((n) => n >= 2).length;
  return multi >= 2 && multi >= 0.5 * g.rows;
}
