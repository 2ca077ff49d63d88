// Tables in the reading order: the lines of a table (src/tables) leave the column analysis and
// one item, the table's box, stands for them, so the table is placed as a unit; its block then
// holds its lines cell by cell, row by row. A found table that a column of text runs through
// (the table detector joined a text column to a small table in the other column) would, as one
// unit, straddle the page's gutter and pull both columns out of order: its lines stay in the
// column analysis instead (the table is still in the page's `tables`, it only gets no block).
import type { RawBlock } from './blocks.js';
import { median, unionRect } from './geometry.js';
import { type Item, type Leaf, textColumnBeside } from './xycut.js';

export interface TableRegion {
  /** Indices into the page's lines, in the table's reading order. */
  lines: number[];
}

/** Items with each table's lines replaced by one placeholder item (index -1 - table). */
export function withTablePlaceholders(
  items: Item[],
  tables: TableRegion[] | undefined,
): { items: Item[]; lineItems: Map<number, Item[]> } {
  const lineItems = new Map<number, Item[]>();
  if (!tables?.length) return { items, lineItems };
  const byLine = new Map(items.map((it) => [it.i, it]));
  const H = median(items.map((it) => it.r.y1 - it.r.y0)) || 1;
  const taken = new Set<number>();
  const out: Item[] = [];
  tables.forEach((t, k) => {
    const its = t.lines.filter((i) => byLine.has(i) && !taken.has(i)).map((i) => byLine.get(i)!);
    if (!its.length || textColumnBeside(its, H)) return;
    its.forEach((it) => taken.add(it.i));
    lineItems.set(k, its);
    out.push({ i: -1 - k, r: unionRect(its.map((it) => it.r)) });
  });
  return { items: [...items.filter((it) => !taken.has(it.i)), ...out], lineItems };
}

/** A leaf's blocks, a table placeholder's row giving the table's block. */
export function leafWithTables(
  leaf: Leaf,
  lineItems: Map<number, Item[]>,
  blocksOf: (leaf: Leaf) => RawBlock[],
): RawBlock[] {
  if (!lineItems.size || !leaf.rows.some((r) => r.some((it) => it.i < 0))) return blocksOf(leaf);
  const out: RawBlock[] = [];
  let rows: Item[][] = [];
  const flush = () => {
    if (rows.length) out.push(...blocksOf({ rows, across: leaf.across }));
    rows = [];
  };
  for (const row of leaf.rows) {
    const rest = row.filter((it) => it.i >= 0);
    for (const it of row.filter((x) => x.i < 0)) {
      flush();
      const items = lineItems.get(-1 - it.i) ?? [];
      out.push({ type: 'table', items, rect: it.r, table: -1 - it.i });
    }
    if (rest.length) rows.push(rest);
  }
  flush();
  return out;
}
