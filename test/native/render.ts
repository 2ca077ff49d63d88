// Renders known text with sharp (SVG text, Debian fonts) into raw pixels for engine tests.
import sharp from 'sharp';

import type { RawImage } from '../../src/native/engine.js';

export interface Rendered extends RawImage {
  /** Bounding box of the dark pixels: [x0, y0, x1, y1]. */
  ink: [number, number, number, number];
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function renderLines(
  lines: string[],
  opts: { fontSize?: number; width?: number; rotate180?: boolean; font?: string } = {},
): Promise<Rendered> {
  const fontSize = opts.fontSize ?? 32;
  const lineH = Math.round(fontSize * 1.8);
  const width = opts.width ?? Math.round(fontSize * 0.62 * Math.max(...lines.map((l) => l.length)) + 2 * fontSize);
  const height = lineH * lines.length + fontSize * 2;
  const font = opts.font ?? 'DejaVu Sans';
  const texts = lines
    .map((l, i) => `<text x="${fontSize}" y="${fontSize + lineH * i + fontSize}" font-family="${font}" font-size="${fontSize}" fill="#000">${escape(l)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${texts}</svg>`;
  let img = sharp(Buffer.from(svg)).removeAlpha();
  if (opts.rotate180) img = img.rotate(180);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  let x0 = info.width, y0 = info.height, x1 = 0, y1 = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * info.channels] < 128) {
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
      }
    }
  }
  return { data, width: info.width, height: info.height, channels: info.channels, ink: [x0, y0, x1, y1] };
}
