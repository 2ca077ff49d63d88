// Unruled tables: runs of text rows in two pieces or more (word groups a column gap apart) whose
// gaps line up over at least three rows. Not a table: two columns of prose (every column full of
// long lines), a list (markers in the first column), a single aligned pair of rows.
import { GAP, type Grid, buildGrid, textRows } from './grid.js';
import { tabular } from './ruled.js';
import type { R, Word } from './types.js';

const MARKER = /^(?:[•·▪◦‣∙●○■□►▸\-–—*+]|\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)])$/u;

/** Start and end of each piece of a row (words a column gap apart). */
function piecesOf(row: Word[], h: number): R[] {
  const out: R[] = [];
  for (const w of row) {
    const p = out[out.length - 1];
    if (p && w.x0 - p.x1 < GAP * h) {
      p.x1 = Math.max(p.x1, w.x1);
      p.y0 = Math.min(p.y0, w.y0);
      p.y1 = Math.max(p.y1, w.y1);
    } else out.push({ x0: w.x0, y0: w.y0, x1: w.x1, y1: w.y1 });
  }
  return out;
}

export function unruledTables(words: Word[], h: number): Grid[] {
  const rows = textRows(words, h);
  const out: Grid[] = [];
  let k = 0;
  while (k < rows.length) {
    // A run: rows in several pieces, a wrapped cell's single-piece rows between them, no wide gap.
    const multi = (r: Word[]) => piecesOf(r, h).length >= 2;
    if (!multi(rows[k])) {
      k++;
      continue;
    }
    let end = k + 1;
    while (end < rows.length) {
      const gap = Math.min(...rows[end].map((w) => w.y0)) - Math.max(...rows[end - 1].map((w) => w.y1));
      if (gap > 1.5 * h) break;
      if (
        !multi(rows[end]) &&
        !continues(rows[end], rows.slice(k, end), h) &&
        !onStarts(rows[end], rows.slice(k, end), h)
      )
        break;
      end++;
    }
    const run = rows.slice(k, end);
    k = end;
    // Rows in columns: in pieces, or their words on the column starts of the rows above.
    if (run.filter((r, i) => multi(r) || (i > 0 && onStarts(r, run.slice(0, i), h))).length < 3) continue;
    for (const part of [run]) {
      const ws = part.flat();
      const box: R = {
        x0: Math.min(...ws.map((w) => w.x0)),
        y0: Math.min(...ws.map((w) => w.y0)),
        x1: Math.max(...ws.map((w) => w.x1)),
        y1: Math.max(...ws.map((w) => w.y1)),
      };
      const grid = buildGrid({ box, words: ws, hs: [], vs: [], h });
      if (
        grid &&
        tabular(grid) &&
        grid.rows >= 3 &&
        !prose(grid) &&
        !list(grid) &&
        !besideText(box, words, ws, h) &&
        paired(grid) &&
        !gutter(grid, words, ws, h)
      )
        out.push(grid);
    }
  }
  return out;
}

/** A row in one piece that starts at a later column of the rows before it (a wrapped cell). */
function continues(row: Word[], before: Word[][], h: number): boolean {
  const starts = before.flatMap((r) =>
    piecesOf(r, h)
      .slice(1)
      .map((p) => p.x0),
  );
  return starts.some((x) => Math.abs(x - row[0].x0) <= 0.6 * h);
}

/** A row of narrow gaps whose words start at two or more of the column starts of the rows before it. */
function onStarts(row: Word[], before: Word[][], h: number): boolean {
  const starts = before.flatMap((r) => piecesOf(r, h).map((p) => p.x0));
  const hits = row.filter((w) => starts.some((x) => Math.abs(x - w.x0) <= 0.4 * h));
  return hits.length >= 2 && row[0] === hits[0];
}

/** Columns of prose side by side: more than one column whose cells mostly hold several words. */
function prose(g: Grid): boolean {
  let longCols = 0;
  for (let c = 0; c < g.cols; c++) {
    const counts = g.cells
      .map((cell, k) => (cell.col === c && g.cellWords[k].length ? g.cellWords[k].length : 0))
      .filter((n) => n > 0);
    if (counts.length && counts.filter((n) => n >= 4).length >= 0.5 * counts.length) longCols++;
  }
  return longCols >= 2;
}

/**
 * Text beside the candidate on most of its rows: a column of a multi-column page (a reference
 * card's key/description pairs, a newspaper's columns), whose rows line up by chance or by design
 * but which the column analysis reads, not a table.
 */
function besideText(box: R, all: Word[], mine: Word[], h: number): boolean {
  const own = new Set(mine);
  const others = all.filter((w) => !own.has(w) && w.y1 > box.y0 && w.y0 < box.y1 && (w.x1 <= box.x0 || w.x0 >= box.x1));
  if (!others.length) return false;
  const rows = textRows(mine, h);
  const flanked = rows.filter((r) => {
    const y0 = Math.min(...r.map((w) => w.y0)),
      y1 = Math.max(...r.map((w) => w.y1));
    return others.some((w) => w.y1 > y0 && w.y0 < y1);
  }).length;
  return flanked >= 0.5 * rows.length;
}

/**
 * Every column boundary has words on both sides in nearly every row (a table's rows are read
 * across); page columns side by side leave one side empty where their lines do not meet. Two
 * columns may have an empty cell more often (a symbol not read in the first column).
 */
function paired(g: Grid): boolean {
  const need = g.cols >= 3 ? 0.9 : 0.75;
  for (let c = 1; c < g.cols; c++) {
    let both = 0,
      any = 0;
    for (let r = 0; r < g.rows; r++) {
      const cells = g.cells
        .map((x, k) => ({ x, ws: g.cellWords[k] }))
        .filter(({ x }) => x.row <= r && r < x.row + x.rowspan);
      const span = cells.some(({ x }) => x.col < c && x.col + x.colspan > c);
      const left = cells.some(({ x, ws }) => x.col + x.colspan <= c && ws.length);
      const right = cells.some(({ x, ws }) => x.col >= c && ws.length);
      if (span || left || right) any++;
      if (span || (left && right)) both++;
    }
    if (any && both < need * any) return false;
  }
  return true;
}

/**
 * The gap between two columns goes on above or below the candidate: the text within three lines
 * of it there has words on both sides of the gap and none across. Page columns, not a table (the paragraph before
 * or after a table runs across its columns).
 */
function gutter(g: Grid, all: Word[], mine: Word[], h: number): boolean {
  const own = new Set(mine);
  const [x0, y0, x1, y1] = g.bbox;
  const xs = [...new Set(g.cells.filter((c) => c.col > 0).map((c) => c.bbox[0]))];
  const near = (above: boolean) => {
    const ws = all.filter(
      (w) =>
        !own.has(w) &&
        w.x1 > x0 &&
        w.x0 < x1 &&
        (above ? w.y1 <= y0 && w.y1 > y0 - 3 * h : w.y0 >= y1 && w.y0 < y1 + 3 * h),
    );
    return ws.length ? ws : undefined;
  };
  for (const row of [near(true), near(false)]) {
    if (!row) continue;
    for (const x of xs) {
      // A gap there as wide as a column gap (a space between words is narrower).
      const left = Math.max(...row.filter((w) => (w.x0 + w.x1) / 2 < x).map((w) => w.x1));
      const right = Math.min(...row.filter((w) => (w.x0 + w.x1) / 2 >= x).map((w) => w.x0));
      if (
        Number.isFinite(left) &&
        Number.isFinite(right) &&
        left <= x + 0.2 * h &&
        right >= x - 0.2 * h &&
        right - left >= GAP * h
      )
        return true;
    }
  }
  return false;
}

/** Bullets or numbers in the first column: a list with hanging items. */
function list(g: Grid): boolean {
  const first = g.cells.filter((c) => c.col === 0 && c.text);
  return first.length > 0 && first.filter((c) => MARKER.test(c.text.trim())).length >= 0.6 * first.length;
}
