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
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function renderPage(texts: Text[], width: number, height: number): Promise<Buffer> {
  const body = texts
    .map((t) => `<text x="${t.x}" y="${t.y}" font-family="${t.font ?? 'Liberation Serif'}" font-size="${t.size}" fill="#000" xml:space="preserve">${escape(t.text)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png().toBuffer();
}

/** Lines of one font and size from a top baseline, `lead` apart. */
export function lines(texts: string[], x: number, y: number, size: number, lead: number, font?: string): Text[] {
  return texts.map((text, i) => ({ text, x, y: y + i * lead, size, font }));
}
