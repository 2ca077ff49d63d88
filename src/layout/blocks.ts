// Blocks from the reading-order leaves: a leaf's rows are cut into blocks where the spacing, the
// line height or the indentation says a new paragraph starts; each block gets a type from
// geometry (and, for lists, the line's first character).
import { type Rect, median, unionRect } from './geometry.js';
import type { Item, Leaf } from './xycut.js';

export type BlockType = 'text' | 'heading' | 'list' | 'code' | 'table' | 'header' | 'footer';

export interface RawBlock {
  type: BlockType;
  /** Items in reading order. */
  items: Item[];
  rect: Rect;
  /** A table's block: its index in the page's tables. */
  table?: number;
}

/** What the block builder needs of a line besides its upright box. */
export interface LineInfo {
  text: string;
  /** Upright boxes of its words, when the engine gave them. */
  words?: { text: string; r: Rect }[];
}

/** A list item's marker: a bullet, or a number or letter with . or ). */
export const LIST_MARKER = /^(?:[•·▪◦‣∙●○■□►▸\-–—*+]|\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)])(?=\s)/u;

const hOf = (it: Item) => it.r.y1 - it.r.y0;

/**
 * Character pitch of a line relative to its height: wider in a typewriter font (Courier, cmtt: 0.53-0.6 em a
 * character) than in a proportional one (0.45-0.5 em on average).
 */
export function pitchOf(r: Rect, text: string): number | undefined {
  const n = [...text.replace(/\s+/g, ' ').trim()].length;
  if (n < 4) return undefined;
  return (r.x1 - r.x0) / n / (r.y1 - r.y0);
}

/**
 * Monospaced: the block's lines are wider per character than the page's text by MONO (the page's
 * median pitch stands for its proportional body text).
 */
export function monospaced(items: Item[], info: (i: number) => LineInfo, pagePitch: number): boolean {
  const pitches = items.map((it) => pitchOf(it.r, info(it.i).text)).filter((p): p is number => p !== undefined);
  if (!pitches.length || !pagePitch) return false;
  // One short line (a numbered section title, bold and full of digits) is not enough to tell.
  if (items.length === 1 && [...info(items[0].i).text].length < 16) return false;
  return median(pitches) >= MONO * pagePitch;
}

const MONO = 1.18;

export interface BlockOptions {
  /** Median text height of the page's lines (the median of each line's word heights). */
  H: number;
  info: (i: number) => LineInfo;
  /** Median pitch (pitchOf) of the page's lines. */
  pitch: number;
}

/** Cuts one leaf into blocks. */
export function leafBlocks(leaf: Leaf, opts: BlockOptions): RawBlock[] {
  const { H, info } = opts;
  const blocks: RawBlock[] = [];
  if (!leaf.rows.length) return blocks;
  const all = leaf.rows.flat();
  const left = Math.min(...all.map((it) => it.r.x0));
  const right = Math.max(...all.map((it) => it.r.x1));
  let cur: Item[][] = [];
  const close = () => {
    if (!cur.length) return;
    const items = cur.flat();
    blocks.push({ type: 'text', items, rect: unionRect(items.map((it) => it.r)) });
    cur = [];
  };
  // A line's text height: the median of its words' (a superscript or an accent raises one word's box, not the others').
  const textH = (it: Item) => {
    const ws = info(it.i).words;
    return ws?.length ? median(ws.map((w) => w.r.y1 - w.r.y0)) : hOf(it);
  };
  const rowH = (row: Item[]) => median(row.map(textH));
  // The leaf's line pitch (centre to centre), its lower quartile: lines within a paragraph. A gap
  // between boxes depends on how tightly the detector draws them (PP-OCRv6's boxes are tighter than
  // PP-OCRv4's); the pitch does not. A wide gap starts a paragraph only where the pitch is wider
  // than the leaf's own (when it has enough rows to tell).
  const cy = (row: Item[]) => median(row.map((it) => (it.r.y0 + it.r.y1) / 2));
  const pitches = leaf.rows
    .slice(1)
    .map((row, k) => cy(row) - cy(leaf.rows[k]))
    .sort((p, q) => p - q);
  const linePitch = pitches.length >= 3 ? pitches[Math.floor(pitches.length / 4)] : undefined;
  for (const row of leaf.rows) {
    const prev = cur[cur.length - 1];
    if (prev) {
      const gap = Math.min(...row.map((it) => it.r.y0)) - Math.max(...prev.map((it) => it.r.y1));
      const widerPitch = linePitch === undefined || cy(row) - cy(prev) > 1.3 * linePitch;
      const hp = rowH(prev);
      const hr = rowH(row);
      const ratio = Math.max(hp, hr) / Math.min(hp, hr);
      const lh = Math.min(hp, hr);
      const multi = row.length > 1 || prev.length > 1;
      const first = row[0];
      const last = prev[prev.length - 1];
      const startsItem = LIST_MARKER.test(info(first.i).text.trimStart());
      // A short last line, then an indented one: a new paragraph (text without spacing between them).
      const indented =
        !multi && first.r.x0 - left > 0.8 * lh && right - last.r.x1 > 3 * lh && first.r.x0 - left < 6 * lh;
      // After a list item, a line back at the marker's margin (not hanging under its text) ends it.
      const head = cur[0][0];
      const outOfItem =
        LIST_MARKER.test(info(head.i).text.trimStart()) &&
        !multi &&
        first.r.x0 - head.r.x0 < 0.3 * lh &&
        cur.length > 0;
      // (A taller line right under the previous one is a superscript or a logo, not a heading.)
      if (
        (gap > 0.8 * lh && widerPitch) ||
        (ratio > 1.25 && gap > 0.3 * lh) ||
        indented ||
        (startsItem && !multi) ||
        outOfItem
      )
        close();
    }
    cur.push(row);
  }
  close();
  // Types.
  blocks.forEach((b, k) => {
    const rows = leafRowsOf(b.items, leaf);
    const lines = b.items.map((it) => info(it.i));
    const bh = median(b.items.map(textH));
    // A heading is taller than the page's text and than the block it heads (a line with a
    // superscript or a logo is only a little taller than its paragraph's other lines).
    const next = blocks[k + 1];
    const taller = bh >= 1.2 * H && (!next || bh >= 1.2 * median(next.items.map(textH)));
    const multiRows = rows.filter((r) => r.length > 1).length;
    if (leaf.across && multiRows >= 2) b.type = 'table';
    else if (multiRows >= 2 && multiRows >= rows.length / 2) b.type = 'table';
    else if (taller && rows.length <= 3) b.type = 'heading';
    else if (LIST_MARKER.test(lines[0].text.trimStart())) b.type = 'list';
    else if (monospaced(b.items, info, opts.pitch)) b.type = 'code';
  });
  return mergeLists(blocks);
}

function leafRowsOf(items: Item[], leaf: Leaf): Item[][] {
  const set = new Set(items);
  return leaf.rows.map((r) => r.filter((it) => set.has(it))).filter((r) => r.length);
}

/** Consecutive list items make one list block (an item may be several lines). */
function mergeLists(blocks: RawBlock[]): RawBlock[] {
  const out: RawBlock[] = [];
  for (const b of blocks) {
    const prev = out[out.length - 1];
    if (prev && prev.type === 'list' && b.type === 'list') {
      const gap = b.rect.y0 - prev.rect.y1;
      const lh = median(prev.items.map(hOf));
      if (gap <= 1.2 * lh) {
        prev.items.push(...b.items);
        prev.rect = unionRect([prev.rect, b.rect]);
        continue;
      }
    }
    out.push(b);
  }
  return out;
}
