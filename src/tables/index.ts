// Tables of a page (see docs/tables.md): ruled ones from the ruling lines the engine found on the
// page image, then unruled ones from word columns among the remaining words; each as a grid of
// cells holding the engine's words. Found on pages read upright (rotation 0); a turned page has none.
import type { OcrLine } from '../native/engine.js';
import type { Grid } from './grid.js';
import { ruledTables } from './ruled.js';
import { rulingLines } from './segments.js';
import type { FoundTable, Word } from './types.js';
import { unruledTables } from './unruled.js';

export type { Box, FoundTable, Table, TableCell } from './types.js';

export interface TableInput {
  lines: OcrLine[];
  rulings?: number[][];
  width?: number;
  height?: number;
  rotation?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : 0;
}

/** The page's words in image pixels (a line without word boxes is one word). */
function wordsOf(lines: OcrLine[]): Word[] {
  const out: Word[] = [];
  lines.forEach((l, i) => {
    const parts = l.words?.length ? l.words : [{ text: l.text, bbox: l.bbox }];
    for (const w of parts) {
      const xs = w.bbox.map((p) => p[0]),
        ys = w.bbox.map((p) => p[1]);
      if (w.text.trim())
        out.push({
          text: w.text,
          line: i,
          x0: Math.min(...xs),
          y0: Math.min(...ys),
          x1: Math.max(...xs),
          y1: Math.max(...ys),
        });
    }
  });
  return out;
}

/** Width per character over height: about 0.6 in a typewriter font, 0.45-0.5 in a proportional one. */
function pitch(l: OcrLine): number | undefined {
  const n = [...l.text.replace(/\s+/g, ' ').trim()].length;
  if (n < 4) return undefined;
  const xs = l.bbox.map((p) => p[0]),
    ys = l.bbox.map((p) => p[1]);
  return (Math.max(...xs) - Math.min(...xs)) / n / (Math.max(...ys) - Math.min(...ys));
}

/**
 * A code listing or terminal screen in a box: (nearly) every line of it in a typewriter font, wider
 * per character than the page's text. A table may hold code in a column, not in all of them.
 */
function listing(g: Grid, lines: OcrLine[], h: number): boolean {
  const page = median(lines.map(pitch).filter((p): p is number => p !== undefined));
  const own = [...new Set(g.cellWords.flat().map((w) => w.line))]
    .map((i) => pitch(lines[i]))
    .filter((p): p is number => p !== undefined);
  if (!page || own.length < 2 || h <= 0) return false;
  return own.filter((p) => p >= 1.18 * page).length >= 0.8 * own.length;
}

export function findTables(input: TableInput): FoundTable[] {
  if ((input.rotation ?? 0) !== 0 || !input.lines.length) return [];
  const words = wordsOf(input.lines);
  if (words.length < 4) return [];
  const h = median(words.map((w) => w.y1 - w.y0)) || 1;
  const { hs, vs } = rulingLines(input.rulings ?? [], words, h);
  const ruled = ruledTables(hs, vs, words, h);
  const taken = new Set(ruled.flatMap((g) => g.cellWords.flat()));
  // Word columns inside a frame (a rule above and below, a side left and right) are a boxed listing
  // or screen: a table there would have been found by its rules.
  const framed = (g: Grid) => {
    const [x0, y0, x1, y1] = g.bbox;
    const across = (y: number) => hs.some((s) => s.x0 <= x0 && s.x1 >= x1 && (y < 0 ? s.y < y0 : s.y > y1));
    const side = (left: boolean) => vs.some((v) => v.y0 <= y0 && v.y1 >= y1 && (left ? v.x < x0 : v.x > x1));
    return across(-1) && across(1) && side(true) && side(false);
  };
  const unruled = unruledTables(
    words.filter((w) => !taken.has(w)),
    h,
  ).filter((g) => !framed(g));
  const grids: Grid[] = [...ruled, ...unruled]
    .filter((g) => !listing(g, input.lines, h))
    .sort((a, b) => a.bbox[1] - b.bbox[1] || a.bbox[0] - b.bbox[0]);
  return grids.map((g) => {
    // The table's lines, cell by cell: a line split over cells goes with its first word's cell.
    const seen = new Set<number>();
    const lines: number[] = [];
    for (const ws of g.cellWords) {
      for (const w of ws) {
        if (seen.has(w.line)) continue;
        seen.add(w.line);
        lines.push(w.line);
      }
    }
    return { bbox: g.bbox, rows: g.rows, cols: g.cols, cells: g.cells, lines };
  });
}
