// Whether a page's own text can stand for the page (`pdf_text=auto`), cheaply: the text is
// there, it is mostly real characters (a font without a ToUnicode map yields U+FFFD, private-use
// or control codes), and it covers what the page shows: a coarse render's dark pixels inside the
// page's pictures (image objects and form XObjects, where a scan lives) fall mostly under the
// characters' boxes. A scan with a typed header, or a page whose words are in a picture, leaves
// most of its ink uncovered and is read by OCR instead. Ink outside pictures (vector rules, table
// frames, plots) is not counted: its text, if any, is drawn as text. Text drawn as outlines (paths)
// is not seen: such a page needs `pdf_text=ocr`.
import { type PageChar, isSpace } from './text-layer.js';

/** Resolution of the coverage render: enough to see text rows, a few milliseconds a page. */
export const CHECK_DPI = 36;
/** Share of unreadable characters above which the text is taken as garbled. */
const MAX_BAD_SHARE = 0.1;
/**
 * Share of the render's ink that lies in pictures and outside every character box, above which the page shows text its
 * layer lacks.
 */
export const MAX_UNCOVERED_SHARE = 0.35;
/** Dark enough to be ink (gray levels, 0 black). */
const INK = 128;

export type TextVerdict = { usable: true } | { usable: false; reason: 'none' | 'garbled' | 'uncovered' };

const unreadable = (c: number) =>
  c === 0xfffd || (c >= 0xe000 && c <= 0xf8ff) || (c < 0x20 && c !== 0x02) || (c >= 0x7f && c < 0xa0);

/** Present and mostly readable (before any render). */
export function textReadable(chars: PageChar[]): TextVerdict {
  let shown = 0;
  let bad = 0;
  for (const c of chars) {
    if (isSpace(c.code)) continue;
    shown++;
    if (unreadable(c.code)) bad++;
  }
  if (!shown) return { usable: false, reason: 'none' };
  if (bad / shown > MAX_BAD_SHARE) return { usable: false, reason: 'garbled' };
  return { usable: true };
}

type Box = [number, number, number, number];

/** Sets `value` over `box` (pixels of the boxes' frame, times `scale`), widened by `pad` pixels. */
function paint(mask: Uint8Array, w: number, h: number, box: Box, scale: number, pad: number, value: number): void {
  const x0 = Math.max(0, Math.floor(box[0] * scale) - pad);
  const x1 = Math.min(w - 1, Math.ceil(box[2] * scale) + pad);
  const y0 = Math.max(0, Math.floor(box[1] * scale) - pad);
  const y1 = Math.min(h - 1, Math.ceil(box[3] * scale) + pad);
  if (x1 < x0) return;
  for (let y = y0; y <= y1; y++) mask.fill(value, y * w + x0, y * w + x1 + 1);
}

/**
 * Share of the ink of a gray render (`gray`, `w` x `h`) that lies in a picture (`pictures`) and
 * under no character box; `scale` maps the boxes' pixel frame to the render's. Character boxes
 * are widened by a pixel (antialiasing, accents above the loose box).
 */
export function uncoveredInk(
  gray: Uint8Array,
  w: number,
  h: number,
  chars: PageChar[],
  pictures: Box[],
  scale: number,
): number {
  if (!pictures.length) return 0;
  const mask = new Uint8Array(w * h); // 1: in a picture, 2: under a character
  for (const p of pictures) paint(mask, w, h, p, scale, 0, 1);
  for (const c of chars) if (!isSpace(c.code)) paint(mask, w, h, c.box, scale, 1, 2);
  let ink = 0;
  let out = 0;
  for (let i = 0; i < gray.length; i++) {
    if (gray[i] >= INK) continue;
    ink++;
    if (mask[i] === 1) out++;
  }
  return ink ? out / ink : 0;
}
