// Renders a page of known text, set like a document (SVG text through sharp, Debian fonts):
// each element at its position, size and font.
import sharp from 'sharp';

export interface Text {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  font?: string;
  /** Justified to this width: the last word set flush right at x + width (librsvg ignores textLength). */
  width?: number;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function renderPage(texts: Text[], width: number, height: number): Promise<Buffer> {
  const el = (s: string, x: number, t: Text, anchor = 'start') =>
    `<text x="${x}" y="${t.y}" text-anchor="${anchor}" font-family="${t.font ?? 'Liberation Serif'}" font-size="${t.size}" fill="#000" xml:space="preserve">${escape(s)}</text>`;
  const body = texts
    .map((t) => {
      const cut = t.text.lastIndexOf(' ');
      if (!t.width || cut < 0) return el(t.text, t.x, t);
      return el(t.text.slice(0, cut), t.x, t) + el(t.text.slice(cut + 1), t.x + t.width, t, 'end');
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png().toBuffer();
}

/** Lines of one font and size from a top baseline, `lead` apart; `justify`: every line but the last stretched to that width. */
export function lines(
  texts: string[],
  x: number,
  y: number,
  size: number,
  lead: number,
  font?: string,
  justify?: number,
): Text[] {
  return texts.map((text, i) => ({
    text,
    x,
    y: y + i * lead,
    size,
    font,
    width: justify && i < texts.length - 1 ? justify : undefined,
  }));
}
