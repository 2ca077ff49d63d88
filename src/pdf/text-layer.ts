// A PDF page's own text (its text layer) as lines and words, from PDFium's characters and their
// boxes: what `pdf_text=auto` returns instead of OCR for a page whose text is usable
// (src/pdf/text-check.ts). Boxes are in the pixels of the page as it would be rendered at the
// page's dpi (page rotation and crop box applied by PDFium's own page-to-device map), the frame of
// OCR lines, so `width`/`height`/`dpi`, the layout step and every output format work the same.
import type { OcrLine, OcrWord, Point } from '../native/engine.js';

/** The emscripten exports used here (the package does not wrap text boxes). */
export interface TextModule {
  _FPDFText_LoadPage(page: number): number;
  _FPDFText_ClosePage(textPage: number): void;
  _FPDFText_CountChars(textPage: number): number;
  _FPDFText_GetUnicode(textPage: number, index: number): number;
  _FPDFText_GetLooseCharBox(textPage: number, index: number, rect: number): number;
  _FPDF_PageToDevice(
    page: number,
    x: number,
    y: number,
    w: number,
    h: number,
    rotate: number,
    px: number,
    py: number,
    dx: number,
    dy: number,
  ): number;
  _FPDFPage_CountObjects(page: number): number;
  _FPDFPage_GetObject(page: number, index: number): number;
  _FPDFPageObj_GetType(obj: number): number;
  _FPDFPageObj_GetBounds(obj: number, left: number, bottom: number, right: number, top: number): number;
  HEAPF32: Float32Array;
  HEAP32: Int32Array;
  wasmExports: { malloc(n: number): number; free(p: number): void };
}

/** One character with its box in pixels (left, top, right, bottom). */
export interface PageChar {
  code: number;
  box: [number, number, number, number];
}

/**
 * Affine page-space → pixel map (x' = a x + c y + e, y' = b x + d y + f), read from PDFium at 64× so integer rounding
 * is negligible.
 */
function deviceMap(m: TextModule, page: number, width: number, height: number): (x: number, y: number) => Point {
  const K = 64;
  const p = m.wasmExports.malloc(8);
  const at = (x: number, y: number): Point => {
    m._FPDF_PageToDevice(page, 0, 0, width * K, height * K, 0, x, y, p, p + 4);
    return [m.HEAP32[p >> 2] / K, m.HEAP32[(p >> 2) + 1] / K];
  };
  try {
    const o = at(0, 0);
    const ux = at(1000, 0);
    const uy = at(0, 1000);
    const [a, b] = [(ux[0] - o[0]) / 1000, (ux[1] - o[1]) / 1000];
    const [c, d] = [(uy[0] - o[0]) / 1000, (uy[1] - o[1]) / 1000];
    return (x, y) => [a * x + c * y + o[0], b * x + d * y + o[1]];
  } finally {
    m.wasmExports.free(p);
  }
}

/** Every character of the loaded page `page` (a FPDF_PAGE handle), boxes in a `width` x `height` pixel frame. */
export function pageChars(m: TextModule, page: number, width: number, height: number): PageChar[] {
  const tp = m._FPDFText_LoadPage(page);
  if (!tp) return [];
  const rect = m.wasmExports.malloc(16);
  try {
    const map = deviceMap(m, page, width, height);
    const n = m._FPDFText_CountChars(tp);
    const out: PageChar[] = [];
    for (let i = 0; i < n; i++) {
      const code = m._FPDFText_GetUnicode(tp, i);
      let box: PageChar['box'] = [0, 0, 0, 0];
      if (!isSpace(code) && m._FPDFText_GetLooseCharBox(tp, i, rect)) {
        const f = rect >> 2; // FS_RECTF: left, top, right, bottom (page space, y up)
        const p1 = map(m.HEAPF32[f], m.HEAPF32[f + 1]);
        const p2 = map(m.HEAPF32[f + 2], m.HEAPF32[f + 3]);
        box = [Math.min(p1[0], p2[0]), Math.min(p1[1], p2[1]), Math.max(p1[0], p2[0]), Math.max(p1[1], p2[1])];
      }
      out.push({ code, box });
    }
    return out;
  } finally {
    m.wasmExports.free(rect);
    m._FPDFText_ClosePage(tp);
  }
}

const IMAGE_OBJECT = 3;
const FORM_OBJECT = 5;

/**
 * Boxes (pixels, left top right bottom) of the page's top-level image and form objects: where a scan's words would be.
 */
export function pagePictures(
  m: TextModule,
  page: number,
  width: number,
  height: number,
): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  const n = m._FPDFPage_CountObjects(page);
  if (n <= 0) return out;
  const map = deviceMap(m, page, width, height);
  const f = m.wasmExports.malloc(16);
  try {
    for (let i = 0; i < n; i++) {
      const obj = m._FPDFPage_GetObject(page, i);
      const type = obj ? m._FPDFPageObj_GetType(obj) : 0;
      if (type !== IMAGE_OBJECT && type !== FORM_OBJECT) continue;
      if (!m._FPDFPageObj_GetBounds(obj, f, f + 4, f + 8, f + 12)) continue;
      const q = f >> 2; // left, bottom, right, top (page space)
      const p1 = map(m.HEAPF32[q], m.HEAPF32[q + 1]);
      const p2 = map(m.HEAPF32[q + 2], m.HEAPF32[q + 3]);
      out.push([Math.min(p1[0], p2[0]), Math.min(p1[1], p2[1]), Math.max(p1[0], p2[0]), Math.max(p1[1], p2[1])]);
    }
  } finally {
    m.wasmExports.free(f);
  }
  return out;
}

export const isSpace = (c: number) =>
  c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b);
const isBreak = (c: number) => c === 0x0a || c === 0x0d;

/**
 * The character as text: PDFium marks a hyphen that ends a line with U+0002; ligatures (ﬁ) are spelled out, as
 * pdftotext does.
 */
function charText(code: number): string {
  if (code === 0x02) return '-';
  if (code < 0x20 || code === 0xfffe || code === 0xffff) return '';
  const s = String.fromCodePoint(code);
  return code >= 0xfb00 && code <= 0xfb06 ? s.normalize('NFKC') : s;
}

/** Whole pixels, as OCR boxes are. */
const quad = (b: [number, number, number, number]): [Point, Point, Point, Point] => {
  const [l, t, r, d] = [Math.floor(b[0]), Math.floor(b[1]), Math.ceil(b[2]), Math.ceil(b[3])];
  return [
    [l, t],
    [r, t],
    [r, d],
    [l, d],
  ];
};

/**
 * Lines and words from the page's characters, in PDFium's text order (the layout step orders
 * them). A word ends at a space (the file's or one PDFium inferred from a gap); a line ends at
 * PDFium's line break, or where the next character is not beside the previous one (a wide gap,
 * another row), so that table cells and columns are separate lines, as the OCR detector makes
 * them. Embedded text is what the file says: confidence 1.
 */
export function charsToLines(chars: PageChar[], width: number, height: number): OcrLine[] {
  const lines: OcrLine[] = [];
  let words: OcrWord[] = [];
  let word = '';
  let wbox: [number, number, number, number] | undefined;
  let prev: PageChar['box'] | undefined;
  const endWord = () => {
    if (word && wbox) words.push({ text: word, confidence: 1, bbox: quad(wbox) });
    word = '';
    wbox = undefined;
  };
  const endLine = () => {
    endWord();
    if (words.length) {
      const xs = words.flatMap((w) => w.bbox.map((p) => p[0]));
      const ys = words.flatMap((w) => w.bbox.map((p) => p[1]));
      lines.push({
        text: words.map((w) => w.text).join(' '),
        confidence: 1,
        bbox: quad([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]),
        words,
      });
    }
    words = [];
    prev = undefined;
  };
  for (const c of chars) {
    if (isBreak(c.code)) {
      endLine();
      continue;
    }
    if (isSpace(c.code)) {
      endWord();
      continue;
    }
    const t = charText(c.code);
    const b = c.box;
    // Characters drawn outside the page (clipped away) are not on it.
    if (!t || b[2] <= 0 || b[3] <= 0 || b[0] >= width || b[1] >= height || b[2] - b[0] <= 0 || b[3] - b[1] <= 0)
      continue;
    if (prev) {
      const size = Math.max(b[3] - b[1], prev[3] - prev[1], 1);
      const gapX = Math.max(0, b[0] - prev[2], prev[0] - b[2]);
      const gapY = Math.max(0, b[1] - prev[3], prev[1] - b[3]);
      if (gapX > 1.5 * size || gapY > 0.3 * size) endLine();
      else if (gapX > 0.6 * size) endWord();
    }
    word += t;
    wbox = wbox
      ? [Math.min(wbox[0], b[0]), Math.min(wbox[1], b[1]), Math.max(wbox[2], b[2]), Math.max(wbox[3], b[3])]
      : [...b];
    prev = b;
  }
  endLine();
  return lines;
}
