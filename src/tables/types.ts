// The tables of a page, as the API returns them. Boxes are [x0, y0, x1, y1] in the pixels of the
// image as submitted (the frame of the page's `lines`); rows and columns are 0-based.
export type Box = [number, number, number, number];

export interface TableCell {
  row: number;
  col: number;
  rowspan: number;
  colspan: number;
  bbox: Box;
  /** The cell's words in reading order, joined by spaces ('' for an empty cell). */
  text: string;
  /** A header cell: in a header row (ruled off from the body, or the first row of a ruled grid's shaded head). */
  header: boolean;
}

export interface Table {
  bbox: Box;
  rows: number;
  cols: number;
  /** Row by row, left to right; a spanning cell once, at its top-left. */
  cells: TableCell[];
}

/** A table with the page lines it holds, in reading order (row by row, cell by cell): for layout. */
export interface FoundTable extends Table {
  lines: number[];
}

/** An axis-aligned rectangle (floats). */
export interface R {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A word of the page, as the table builder sees it. */
export interface Word extends R {
  text: string;
  /** Index of its line in the page's lines. */
  line: number;
}
