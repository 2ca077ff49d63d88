// Reading order of a page's lines: recursive XY-cut over the line boxes (upright frame).
// A region is split, in this order of preference:
//  1. at a column gutter: a vertical strip at least `GUTTER` line heights wide that no line
//     crosses, with lines on both sides — unless the two sides pair up row by row (a table, or
//     the key/description pairs of a reference card: those read across, row by row);
//  2. at a horizontal gap across the whole region at least `BAND_GAP` line heights high;
//  3. at lines that span a gutter (a title over two columns): they cut the region into bands,
//     each read on its own, the spanning lines where they stand.
// What cannot be split is a leaf, read row by row: top to bottom, and left to right on one row.
import { type Rect, median } from './geometry.js';

export interface Item {
  /** Index into the page's lines. */
  i: number;
  r: Rect;
}

export interface Leaf {
  /** Rows, top to bottom; each row's items left to right. */
  rows: Item[][];
  /** The leaf holds rows of several items side by side that read across (a table). */
  across: boolean;
}

const GUTTER = 0.6;
const BAND_GAP = 1.5;
/** Items on one baseline: centres this close (in line heights)... */
const PAIR_TOL = 0.1;
/** ...for this share of one side's items: the sides read across. */
const PAIRED = 0.85;

const h = (it: Item) => it.r.y1 - it.r.y0;
const cy = (it: Item) => (it.r.y0 + it.r.y1) / 2;

/** Rows of items: sorted by top, an item joins a row its centre line falls in. */
export function rowsOf(items: Item[]): Item[][] {
  const sorted = [...items].sort((a, b) => cy(a) - cy(b) || a.r.x0 - b.r.x0);
  const rows: Item[][] = [];
  for (const it of sorted) {
    const row = rows[rows.length - 1];
    if (row) {
      const top = Math.min(...row.map((x) => x.r.y0));
      const bot = Math.max(...row.map((x) => x.r.y1));
      const ref = row[0];
      const overlap = Math.min(bot, it.r.y1) - Math.max(top, it.r.y0);
      if (overlap >= 0.5 * Math.min(h(ref), h(it)) && Math.abs(cy(it) - cy(ref)) <= 0.5 * Math.max(h(ref), h(it))) {
        row.push(it);
        continue;
      }
    }
    rows.push([it]);
  }
  for (const row of rows) row.sort((a, b) => a.r.x0 - b.r.x0);
  return rows;
}

interface Gutter {
  x0: number;
  x1: number;
  left: Item[];
  right: Item[];
  crossing: Item[];
}

/** Vertical strips of the region at least minGap wide that at most `maxCross` items cross. */
function gutters(items: Item[], minGap: number, maxCross: number): Gutter[] {
  const lo = Math.min(...items.map((it) => it.r.x0));
  const hi = Math.max(...items.map((it) => it.r.x1));
  const n = Math.ceil(hi - lo) + 2;
  const diff = new Int32Array(n + 1);
  for (const it of items) {
    diff[Math.max(0, Math.floor(it.r.x0 - lo))]++;
    diff[Math.min(n, Math.ceil(it.r.x1 - lo))]--;
  }
  const out: Gutter[] = [];
  let cov = 0;
  let start = -1;
  for (let x = 0; x <= n; x++) {
    cov += x < n ? diff[x] : 0;
    const free = x < n && cov <= maxCross;
    if (free && start < 0) start = x;
    if (!free && start >= 0) {
      const g0 = lo + start;
      const g1 = lo + x;
      if (g1 - g0 >= minGap && start > 0 && x < n - 1) {
        // Crossing: the items over the whole strip; the others go by their centre (a ragged
        // line end may reach into a strip that only spanning lines cover).
        const crossing = items.filter((it) => it.r.x0 <= g0 + 0.5 && it.r.x1 >= g1 - 0.5);
        const mid = (g0 + g1) / 2;
        const rest = items.filter((it) => !crossing.includes(it));
        const left = rest.filter((it) => (it.r.x0 + it.r.x1) / 2 < mid);
        const right = rest.filter((it) => (it.r.x0 + it.r.x1) / 2 >= mid);
        if (left.length && right.length) out.push({ x0: g0, x1: g1, left, right, crossing });
      }
      start = -1;
    }
  }
  return out;
}

/** Share of `a`'s items that have an item of `b` on the same line (centres within `tol` heights). */
function paired(a: Item[], b: Item[], tol: number): number {
  if (!a.length || !b.length) return 0;
  // b by centre; for each x only the items of b whose centre is within tol * h(x) are candidates.
  const sorted = [...b].sort((p, q) => cy(p) - cy(q));
  const centres = sorted.map(cy);
  const first = (v: number) => {
    let lo = 0;
    let hi = centres.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (centres[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let n = 0;
  for (const x of a) {
    const c = cy(x);
    const reach = tol * h(x);
    for (let k = first(c - reach); k < sorted.length && centres[k] <= c + reach; k++) {
      if (Math.abs(c - centres[k]) <= tol * Math.min(h(x), h(sorted[k]))) {
        n++;
        break;
      }
    }
  }
  return n / a.length;
}

/**
 * The two sides of a gutter read across, row by row: nearly every item of one side sits on the
 * very same line as an item of the other (centres within PAIR_TOL heights), as in a table or the
 * key/description pairs of a reference card — and the left side does not run up to the gutter.
 * Columns of text set on one baseline grid pair up as tightly, but their lines (justified, or
 * nearly) end at the gutter; keys and cells end where their text does.
 */
export function readsAcross(g: Gutter, H: number): boolean {
  if (Math.min(g.left.length, g.right.length) < 2) return false;
  if (Math.max(paired(g.left, g.right, PAIR_TOL), paired(g.right, g.left, PAIR_TOL)) < PAIRED) return false;
  // The left side's items nearest the gutter: the last of each row.
  const near = rowsOf(g.left).map((row) => row[row.length - 1]);
  const flush = near.filter((it) => g.x0 - it.r.x1 <= H).length / near.length;
  return flush < 0.5;
}

/** Both sides hold at least two items and overlap vertically by half the shorter side: a column, not a stray gap. */
function tall(g: Gutter): boolean {
  if (g.left.length < 2 || g.right.length < 2) return false;
  const ext = (xs: Item[]) => [Math.min(...xs.map((it) => it.r.y0)), Math.max(...xs.map((it) => it.r.y1))];
  const [a0, a1] = ext(g.left);
  const [b0, b1] = ext(g.right);
  return Math.min(a1, b1) - Math.max(a0, b0) >= 0.5 * Math.min(a1 - a0, b1 - b0);
}

export interface CutOptions {
  /** Debug: called with each gutter considered. */
  trace?: (what: string, info: Record<string, unknown>) => void;
}

/** Lines this many heights wide (median) make a column of text; a table's cells are narrower. */
const TEXT_WIDTH = 6;
const textWide = (side: Item[], H: number) => median(side.map((it) => it.r.x1 - it.r.x0)) >= TEXT_WIDTH * H;

/** A clean gutter of the items between columns of text (tall, lines of text on both sides, not rows read across). */
function columnGutter(items: Item[], H: number): Gutter | undefined {
  return gutters(items, GUTTER * H, 0).find(
    (g) => tall(g) && textWide(g.left, H) && textWide(g.right, H) && !readsAcross(g, H),
  );
}

/**
 * A column of text runs beside the items: a clean, tall gutter whose sides do not read across,
 * with lines of text (TEXT_WIDTH heights, median) on at least one side. A table's columns read
 * across or hold short cells on both sides; a region that holds a column of text beside other
 * things (a text column next to a small table in the other column) is not one table.
 */
export function textColumnBeside(items: Item[], H: number): boolean {
  return gutters(items, GUTTER * H, 0).some(
    (g) => tall(g) && (textWide(g.left, H) || textWide(g.right, H)) && !readsAcross(g, H),
  );
}

/**
 * Bands (cut at horizontal gaps) that one column gutter runs through are one region: a heading
 * row over two columns, or a column's paragraph set apart by a gap, stays in its column instead
 * of being read across the gutter. A band with a line across the gutter (a full-width title,
 * abstract or figure) ends the run. The gutter must be one that some band of the run shows on its
 * own (two or more lines a side, side by side, not read across): the rows of a table set apart by
 * gaps, one cell a side per band, show none, and are read row by row.
 */
function columnGroups(bands: Item[][], H: number): Item[][] {
  const own = bands.map((b) => gutters(b, GUTTER * H, 0).filter((g) => tall(g) && !readsAcross(g, H)));
  const groups: { items: Item[]; own: Gutter[] }[] = [{ items: bands[0], own: own[0] }];
  bands.slice(1).forEach((band, k) => {
    const last = groups[groups.length - 1];
    const union = [...last.items, ...band];
    const g = columnGutter(union, H);
    const mine = [...last.own, ...own[k + 1]];
    if (g && mine.some((o) => o.x0 < g.x1 && o.x1 > g.x0)) groups[groups.length - 1] = { items: union, own: mine };
    else groups.push({ items: band, own: own[k + 1] });
  });
  return groups.map((g) => g.items);
}

export function xyCut(items: Item[], opts: CutOptions = {}): Leaf[] {
  if (items.length <= 1) return [{ rows: items.length ? [items] : [], across: false }];
  const H = median(items.map(h)) || 1;
  // 1. a clean gutter, top to bottom.
  const clean = gutters(items, GUTTER * H, 0).filter(tall);
  let across = false;
  const ordered = clean.sort((a, b) => b.x1 - b.x0 - (a.x1 - a.x0));
  for (const g of ordered) {
    if (readsAcross(g, H)) {
      across = true;
      opts.trace?.('across', { x0: g.x0, x1: g.x1, left: g.left.length, right: g.right.length });
      continue;
    }
    opts.trace?.('gutter', { x0: g.x0, x1: g.x1, left: g.left.length, right: g.right.length });
    return [...xyCut(g.left, opts), ...xyCut(g.right, opts)];
  }
  // 2. a wide horizontal gap across the region.
  const byTop = [...items].sort((a, b) => a.r.y0 - b.r.y0);
  const bands: Item[][] = [[]];
  let bottom = -Infinity;
  for (const it of byTop) {
    if (bands[bands.length - 1].length && it.r.y0 - bottom >= BAND_GAP * H) bands.push([]);
    bands[bands.length - 1].push(it);
    bottom = Math.max(bottom, it.r.y1);
  }
  if (bands.length > 1) {
    const groups = columnGroups(bands, H);
    if (groups.length > 1) {
      opts.trace?.('bands', { n: bands.length, groups: groups.length });
      return groups.flatMap((b) => xyCut(b, opts));
    }
  }
  // 3. lines spanning a gutter cut the region into bands.
  const maxCross = Math.max(1, Math.floor(items.length * 0.15));
  let spanned: Gutter[] = [];
  // Fewest crossing lines first; the count doubles each round, so a page of thousands of boxes
  // takes a dozen rounds, not thousands.
  for (let c = 1; c <= maxCross && !spanned.length; c = c < maxCross && c * 2 > maxCross ? maxCross : c * 2) {
    spanned = gutters(items, GUTTER * H, c)
      .filter((g) => tall(g) && g.crossing.length > 0 && g.crossing.length <= maxCross && !readsAcross(g, H))
      .sort((a, b) => a.crossing.length - b.crossing.length || b.x1 - b.x0 - (a.x1 - a.x0));
  }
  for (const g of spanned) {
    const spans = new Set(g.crossing);
    const span = [...g.crossing].sort((a, b) => cy(a) - cy(b));
    const rest = items.filter((it) => !spans.has(it));
    opts.trace?.('spanned', { x0: g.x0, x1: g.x1, crossing: span.length });
    const out: Leaf[] = [];
    let k = 0;
    let band: Item[] = [];
    const flush = () => {
      if (band.length) out.push(...xyCut(band, opts));
      band = [];
    };
    const restSorted = [...rest].sort((a, b) => cy(a) - cy(b));
    let run: Item[] = [];
    for (const it of restSorted) {
      while (k < span.length && cy(span[k]) < cy(it)) {
        flush();
        run.push(span[k++]);
        const next = restSorted.find((x) => cy(x) > cy(run[run.length - 1]));
        if (k >= span.length || !next || cy(span[k]) > cy(next)) {
          out.push({ rows: rowsOf(run), across: false });
          run = [];
        }
      }
      band.push(it);
    }
    flush();
    while (k < span.length) run.push(span[k++]);
    if (run.length) out.push({ rows: rowsOf(run), across: false });
    return out;
  }
  return [{ rows: rowsOf(items), across }];
}
