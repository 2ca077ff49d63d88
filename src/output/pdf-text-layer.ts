// The invisible text layer of a PDF page (text render mode 3): each recognized line over its box,
// scaled to the page's visible area (crop box, rotation) in points. Used by the searchable PDF of
// an upload and by the rasterized pages of `pdf_text=force`.
import { readFileSync } from 'node:fs';

import fontkit from '@pdf-lib/fontkit';
import {
  PDFContentStream,
  PDFDocument,
  type PDFFont,
  type PDFName,
  type PDFOperator,
  type PDFPage,
  StandardFonts,
  TextRenderingMode,
  beginText,
  concatTransformationMatrix,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
} from 'pdf-lib';

import type { PageText } from '../jobs/types.js';
import type { OcrLine } from '../native/engine.js';
import { type Rotation, normRotation, toUpright } from '../layout/geometry.js';

/** Unicode TrueType fonts tried in order; Helvetica (Latin-1 only) when none is installed. */
export const FONT_CANDIDATES = [
  process.env.OCR_PDF_FONT ?? '',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
].filter(Boolean);

let fontBytes: Buffer | null | undefined;
export function unicodeFont(): Buffer | null {
  if (fontBytes !== undefined) return fontBytes;
  fontBytes = null;
  for (const path of FONT_CANDIDATES) {
    try {
      fontBytes = readFileSync(path);
      break;
    } catch {
      // next candidate
    }
  }
  return fontBytes;
}

/** A font and the characters it can draw; characters outside it become '?' (never a crash). */
interface TextFont {
  font: PDFFont;
  covers: Set<number>;
}

export async function embedFont(doc: PDFDocument, fontFile: Buffer | null): Promise<TextFont> {
  let font: PDFFont;
  if (fontFile) {
    doc.registerFontkit(fontkit);
    font = await doc.embedFont(fontFile, { subset: true });
  } else {
    font = await doc.embedFont(StandardFonts.Helvetica);
  }
  return { font, covers: new Set(font.getCharacterSet()) };
}

/** Keeps what the font can draw: other characters become '?', control characters a space. */
export function drawable(text: string, covers: Set<number>): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += ' ';
    else out += covers.has(cp) ? ch : covers.has(0x3f) ? '?' : '';
  }
  return out;
}

/** Affine map [a b c d e f] from the displayed page (points, origin top-left, y down) to user space. */
export function viewToUser(page: PDFPage): {
  m: [number, number, number, number, number, number];
  viewW: number;
  viewH: number;
} {
  const { x, y, width: W, height: H } = page.getCropBox();
  const angle = (((page.getRotation().angle % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  switch (angle) {
    case 90:
      return { m: [0, 1, 1, 0, x, y], viewW: H, viewH: W };
    case 180:
      return { m: [-1, 0, 0, 1, x + W, y], viewW: W, viewH: H };
    case 270:
      return { m: [0, -1, -1, 0, x + W, y + H], viewW: H, viewH: W };
    default:
      return { m: [1, 0, 0, -1, x, y + H], viewW: W, viewH: H };
  }
}

/** Share of the font size below the baseline, roughly, for Latin fonts. */
const DESCENT = 0.2;

/** Operators drawing one line's text invisibly over its box (coordinates already in view points). */
function lineOperators(line: OcrLine, sx: number, sy: number, tf: TextFont, fontKey: PDFName): PDFOperator[] {
  const text = drawable(line.text, tf.covers).trim();
  if (!text) return [];
  const xs = line.bbox.map((p) => p[0] * sx);
  const ys = line.bbox.map((p) => p[1] * sy);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  const boxW = Math.max(...xs) - left;
  const boxH = Math.max(...ys) - top;
  if (!(boxW > 0 && boxH > 0)) return [];
  const size = boxH * 0.9;
  const natural = tf.font.widthOfTextAtSize(text, size);
  if (!(natural > 0)) return [];
  return [
    beginText(),
    setFontAndSize(fontKey, size),
    setCharacterSqueeze((100 * boxW) / natural),
    // Text space flips y back up inside the y-down view space; the baseline sits above the box bottom by the descent.
    setTextMatrix(1, 0, 0, -1, left, top + boxH - DESCENT * size),
    showText(tf.font.encodeText(text)),
    endText(),
  ];
}

/**
 * A page read turned (`rotation`, clockwise degrees): its lines are drawn in the upright frame,
 * and the affine map `m` takes that frame (points, y down) to the displayed page's view space, so
 * the text runs along the text in the picture; `su`, `sv`: points per pixel along the upright
 * frame's axes. An upright page needs no map. `sx`, `sy`: view points per image pixel.
 */
function uprightFrame(
  rotation: Rotation,
  viewW: number,
  viewH: number,
  sx: number,
  sy: number,
): { m?: [number, number, number, number, number, number]; su: number; sv: number } {
  if (rotation === 90) return { m: [0, -1, 1, 0, 0, viewH], su: sy, sv: sx };
  if (rotation === 180) return { m: [-1, 0, 0, -1, viewW, viewH], su: sx, sv: sy };
  if (rotation === 270) return { m: [0, 1, -1, 0, viewW, 0], su: sy, sv: sx };
  return { su: sx, sv: sy };
}

/** Adds the invisible text of `result` to `page`, whose render was `pxW` x `pxH` pixels. */
export function addTextLayer(
  doc: PDFDocument,
  page: PDFPage,
  result: PageText,
  pxW: number,
  pxH: number,
  tf: TextFont,
): void {
  if (!result.success || !result.lines.length || !(pxW > 0 && pxH > 0)) return;
  const { m, viewW, viewH } = viewToUser(page);
  const fontKey = page.node.newFontDictionary(tf.font.name, tf.font.ref);
  const ops: PDFOperator[] = [];
  const rot = normRotation(result.rotation);
  const turned = uprightFrame(rot, viewW, viewH, viewW / pxW, viewH / pxH);
  if (turned.m) ops.push(concatTransformationMatrix(...turned.m));
  for (const line of result.lines) {
    const drawn = rot ? { ...line, bbox: line.bbox.map((p) => toUpright(p, rot, pxW, pxH)) as OcrLine['bbox'] } : line;
    ops.push(...lineOperators(drawn, turned.su, turned.sv, tf, fontKey));
  }
  if (!ops.length) return;
  // The page's own content may leave its graphics state changed: wrap it in q ... Q first.
  page.node.normalize();
  const wrap = (op: PDFOperator) => doc.context.register(PDFContentStream.of(doc.context.obj({}), [op]));
  page.node.wrapContentStreams(wrap(pushGraphicsState()), wrap(popGraphicsState()));
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(...m),
    setTextRenderingMode(TextRenderingMode.Invisible),
    ...ops,
    popGraphicsState(),
  );
}
