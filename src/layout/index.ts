// A page's layout: its lines in reading order and grouped into blocks. Decided in the upright
// frame (the page's `rotation` turns the submitted image upright); block boxes are given back in
// the submitted image's pixels, like the lines'.
//
//   1. header and footer: the top (bottom) rows of the page, in its outer tenth, set apart from
//      the rest by a gap of 1.5 line heights and no taller than the body text;
//   2. the body: recursive XY-cut (xycut.ts) into leaves read row by row;
//   3. blocks: each leaf cut at paragraph gaps, changes of line height, indented first lines and
//      list markers (blocks.ts); types from geometry.
import type { OcrLine } from '../native/engine.js';
import { type BlockType, type LineInfo, type RawBlock, leafBlocks, pitchOf } from './blocks.js';
import {
  type Point,
  type Rect,
  type Rotation,
  median,
  normRotation,
  quadFromUpright,
  rectOf,
  toUpright,
  unionRect,
} from './geometry.js';
import { type TableRegion, leafWithTables, withTablePlaceholders } from './table-regions.js';
import { type CutOptions, type Item, rowsOf, xyCut } from './xycut.js';

export type { BlockType } from './blocks.js';
export type { Rotation } from './geometry.js';

export interface Block {
  /** Four corners, clockwise from the block's top-left as read, in pixels of the image as submitted. */
  bbox: [Point, Point, Point, Point];
  type: BlockType;
  /** Indices into the page's `lines` (which are in reading order), ascending. */
  lines: number[];
  /** A table's block: its index in the page's `tables` (its lines are in the table's reading order). */
  table?: number;
}

export interface PageLayout {
  /** The page's lines in reading order. */
  lines: OcrLine[];
  blocks: Block[];
}

export interface LayoutInput {
  lines: OcrLine[];
  /** Pixel size of the image as submitted (the frame of the boxes). */
  width?: number;
  height?: number;
  rotation?: Rotation | number;
  /** A right-to-left script (Arabic, Persian, Urdu): columns, and lines on one row, read right to left. */
  rtl?: boolean;
  /** Tables found on the page (src/tables): each is placed as one unit, its lines row by row. */
  tables?: TableRegion[];
  trace?: CutOptions['trace'];
}

const MARGIN = 0.1;
const APART = 1.5;

/**
 * Header (footer) rows: at most two rows at the top (bottom), in the outer tenth, set apart, not taller than the body.
 */
function margins(items: Item[], pageH: number, H: number): { header: Item[]; footer: Item[]; body: Item[] } {
  const rows = rowsOf(items);
  if (rows.length < 4) return { header: [], footer: [], body: items };
  const rowTop = (r: Item[]) => Math.min(...r.map((it) => it.r.y0));
  const rowBot = (r: Item[]) => Math.max(...r.map((it) => it.r.y1));
  const rowH = (r: Item[]) => median(r.map((it) => it.r.y1 - it.r.y0));
  const take = (
    ordered: Item[][],
    inMargin: (r: Item[]) => boolean,
    gapAfter: (a: Item[], b: Item[]) => number,
  ): Item[][] => {
    let best = 0;
    for (let k = 1; k <= 2 && k < ordered.length - 2; k++) {
      const part = ordered.slice(0, k);
      if (!part.every((r) => inMargin(r) && rowH(r) <= 1.15 * H)) break;
      if (gapAfter(ordered[k - 1], ordered[k]) >= APART * H) best = k;
    }
    return ordered.slice(0, best);
  };
  const header = take(
    rows,
    (r) => rowBot(r) <= MARGIN * pageH,
    (a, b) => rowTop(b) - rowBot(a),
  );
  const rest = rows.slice(header.length);
  const footer = take(
    [...rest].reverse(),
    (r) => rowTop(r) >= (1 - MARGIN) * pageH,
    (a, b) => rowTop(a) - rowBot(b),
  );
  const hf = new Set([...header.flat(), ...footer.flat()]);
  return { header: header.flat(), footer: footer.reverse().flat(), body: items.filter((it) => !hf.has(it)) };
}

export function pageLayout(input: LayoutInput): PageLayout {
  const { lines } = input;
  if (!lines.length) return { lines: [], blocks: [] };
  const rotation = normRotation(input.rotation);
  const rects = lines.map((l) => rectOf(l.bbox));
  const extent = unionRect(rects);
  const w = input.width ?? Math.ceil(extent.x1);
  const hgt = input.height ?? Math.ceil(extent.y1);
  // Right to left: decided on the mirror image of the upright page (x -> width - x), mirrored back.
  const uprightW = rotation === 90 || rotation === 270 ? hgt : w;
  const mirror = (r: Rect): Rect => (input.rtl ? { x0: uprightW - r.x1, y0: r.y0, x1: uprightW - r.x0, y1: r.y1 } : r);
  const upright = (l: OcrLine): Rect => mirror(rectOf(l.bbox.map((p) => toUpright(p, rotation, w, hgt))));
  const lineItems: Item[] = lines.map((l, i) => ({ i, r: upright(l) }));
  const { items, lineItems: tableLines } = withTablePlaceholders(lineItems, input.tables);
  const pageH = rotation === 90 || rotation === 270 ? w : hgt;
  const H = median(lineItems.map((it) => it.r.y1 - it.r.y0)) || 1;
  const info = (i: number): LineInfo => ({
    text: lines[i].text,
    words: lines[i].words?.map((wd) => ({
      text: wd.text,
      r: mirror(rectOf(wd.bbox.map((p) => toUpright(p, rotation, w, hgt)))),
    })),
  });

  const textH =
    median(
      lineItems.map((it) => {
        const ws = info(it.i).words;
        return ws?.length ? median(ws.map((wd) => wd.r.y1 - wd.r.y0)) : it.r.y1 - it.r.y0;
      }),
    ) || H;
  const pitch = median(
    lineItems.map((it) => pitchOf(it.r, lines[it.i].text)).filter((p): p is number => p !== undefined),
  );
  const m = margins(
    items.filter((it) => it.i >= 0),
    pageH,
    H,
  );
  const { header, footer } = m;
  const body = [...m.body, ...items.filter((it) => it.i < 0)];
  const raw: RawBlock[] = [];
  const marginBlock = (part: Item[], type: BlockType) => {
    if (part.length) raw.push({ type, items: rowsOf(part).flat(), rect: unionRect(part.map((it) => it.r)) });
  };
  marginBlock(header, 'header');
  for (const leaf of xyCut(body, { trace: input.trace }))
    raw.push(...leafWithTables(leaf, tableLines, (l) => leafBlocks(l, { H: textH, info, pitch })));
  marginBlock(footer, 'footer');

  const ordered: OcrLine[] = [];
  const blocks: Block[] = raw.map((b) => {
    const idx = b.items.map((it) => {
      ordered.push(lines[it.i]);
      return ordered.length - 1;
    });
    const block: Block = { bbox: quadFromUpright(mirror(b.rect), rotation, w, hgt), type: b.type, lines: idx };
    if (b.table !== undefined) block.table = b.table;
    return block;
  });
  return { lines: ordered, blocks };
}

/** A page's text: lines in reading order, a blank line between blocks. */
export function blockText(layout: PageLayout): string {
  return layout.blocks.map((b) => b.lines.map((i) => layout.lines[i].text).join('\n')).join('\n\n');
}
