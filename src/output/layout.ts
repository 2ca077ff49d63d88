// The page/block/line/word layout that hOCR, ALTO and Markdown are written from: one entry per
// page (PDF or TIFF page), axis-aligned boxes in the page's pixels. Lines are in reading order and
// grouped into the result's blocks (src/layout); a result stored without blocks is one block. Word
// boxes come from `line.words` when the engine gives them; otherwise the whole line is one word.
import type { Table } from '../tables/index.js';
import type { JobOutput, PageText } from '../jobs/types.js';
import type { BlockType } from '../layout/index.js';
import type { OcrLine } from '../native/engine.js';

type Point = [number, number];

/** x0, y0 (top-left, inclusive) and x1, y1 (bottom-right), integer pixels. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LayoutWord {
  text: string;
  /** 0..1 */
  confidence: number;
  box: Box;
}

export interface LayoutLine {
  text: string;
  confidence: number;
  box: Box;
  words: LayoutWord[];
}

export interface LayoutBlock {
  type: BlockType;
  box: Box;
  /** Indices into the page's lines. */
  lines: number[];
  /** A table's block: its index in the page's `tables`. */
  table?: number;
}

export interface LayoutPage {
  /** 1-based, the original page number. */
  page: number;
  width: number;
  height: number;
  /** Pixels per inch of the page's pixel frame, when known. */
  dpi?: number;
  /** Clockwise degrees the page was turned to read it: its text lies turned that much counter-clockwise. */
  rotation?: number;
  /** The page's language (ISO 639-1) when one was given or detected. */
  language?: string;
  success: boolean;
  lines: LayoutLine[];
  /** In reading order; every line in one block. */
  blocks: LayoutBlock[];
  /** The page's tables as cells (src/tables). */
  tables: Table[];
}

/** A line as the engine may give it: `words` is optional (contract in HELPERS/README). */
type LineWithWords = OcrLine & { words?: { text: string; confidence: number; bbox: Point[] }[] };

/** The axis-aligned box around four corners, rounded outwards to whole pixels. */
export function boxOf(corners: Point[]): Box {
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  return {
    x0: Math.max(0, Math.floor(Math.min(...xs))),
    y0: Math.max(0, Math.floor(Math.min(...ys))),
    x1: Math.ceil(Math.max(...xs)),
    y1: Math.ceil(Math.max(...ys)),
  };
}

export function union(boxes: Box[]): Box | undefined {
  if (!boxes.length) return undefined;
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

/** The words of a line: the engine's, or the whole line as one word. */
export function wordsOf(line: OcrLine): LayoutWord[] {
  const words = (line as LineWithWords).words;
  if (Array.isArray(words) && words.length) {
    return words
      .filter((w) => w.text.trim())
      .map((w) => ({ text: w.text, confidence: w.confidence, box: boxOf(w.bbox) }));
  }
  return [{ text: line.text, confidence: line.confidence, box: boxOf(line.bbox) }];
}

function layoutPage(
  p: Pick<
    PageText,
    'page' | 'lines' | 'blocks' | 'tables' | 'success' | 'width' | 'height' | 'dpi' | 'rotation' | 'language'
  >,
  dpi?: number,
): LayoutPage {
  const lines = p.lines.map((l) => ({ text: l.text, confidence: l.confidence, box: boxOf(l.bbox), words: wordsOf(l) }));
  // Results stored before pages carried their size: the extent of the boxes stands in.
  const extent = union(lines.map((l) => l.box));
  const blocks: LayoutBlock[] = p.blocks?.length
    ? p.blocks
        .map((b) => ({
          type: b.type,
          box: boxOf(b.bbox),
          lines: b.lines.filter((i) => i < lines.length),
          ...(b.table !== undefined && p.tables?.[b.table] && { table: b.table }),
        }))
        .filter((b) => b.lines.length)
    : extent
      ? [{ type: 'text', box: extent, lines: lines.map((_, i) => i) }]
      : [];
  return {
    page: p.page,
    width: p.width ?? extent?.x1 ?? 0,
    height: p.height ?? extent?.y1 ?? 0,
    dpi: p.dpi ?? dpi,
    ...(p.rotation && { rotation: p.rotation }),
    ...(p.language && p.language !== 'und' && { language: p.language }),
    success: p.success,
    lines,
    blocks,
    tables: p.tables ?? [],
  };
}

/**
 * The pages of a result. `imageDpi`: the resolution of an image upload (its own density), since
 * image results record none; PDF pages carry the dpi they were rendered at.
 */
export function layoutOf(output: JobOutput, imageDpi?: number): LayoutPage[] {
  if (output.kind === 'pdf') return output.pages.map((p) => layoutPage(p, output.processing_dpi));
  if (output.pages) return output.pages.map((p) => layoutPage(p, imageDpi));
  const { lines, blocks, tables, success, width, height, rotation, language } = output;
  return [layoutPage({ page: 1, lines, blocks, tables, success, width, height, rotation, language }, imageDpi)];
}

/** Escapes text for XML/XHTML content and attribute values; drops characters XML 1.0 forbids. */
export function xml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}
