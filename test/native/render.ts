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
    .map(
      (l, i) =>
        `<text x="${fontSize}" y="${fontSize + lineH * i + fontSize}" font-family="${font}" font-size="${fontSize}" fill="#000">${escape(l)}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${texts}</svg>`;
  let img = sharp(Buffer.from(svg)).removeAlpha();
  if (opts.rotate180) img = img.rotate(180);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  let x0 = info.width,
    y0 = info.height,
    x1 = 0,
    y1 = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * info.channels] < 128) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { data, width: info.width, height: info.height, channels: info.channels, ink: [x0, y0, x1, y1] };
}

/**
 * Renders one line of words and measures where each word's ink is: the line is drawn again with
 * every other word in white, so each word's ink box comes from the same layout.
 */
export async function renderWords(
  words: string[],
  opts: { fontSize?: number; font?: string; rotate180?: boolean } = {},
): Promise<{ image: RawImage; inks: [number, number, number, number][] }> {
  const fontSize = opts.fontSize ?? 36;
  const text = words.join(' ');
  const width = Math.round(fontSize * 0.65 * text.length + 2 * fontSize);
  const height = fontSize * 3;
  const font = opts.font ?? 'DejaVu Sans';
  const draw = async (only: number) => {
    const spans = words
      .map((w, i) => `<tspan fill="${only < 0 || only === i ? '#000' : '#fff'}">${escape(w)}</tspan>`)
      .join(' ');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/><text x="${fontSize}" y="${fontSize * 2}" font-family="${font}" font-size="${fontSize}" xml:space="preserve">${spans}</text></svg>`;
    let img = sharp(Buffer.from(svg)).removeAlpha();
    if (opts.rotate180) img = img.rotate(180);
    return img.raw().toBuffer({ resolveWithObject: true });
  };
  const full = await draw(-1);
  const inks: [number, number, number, number][] = [];
  for (let k = 0; k < words.length; k++) {
    const { data, info } = await draw(k);
    let x0 = info.width,
      y0 = info.height,
      x1 = -1,
      y1 = -1;
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        if (data[(y * info.width + x) * info.channels] < 160) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
    }
    inks.push([x0, y0, x1, y1]);
  }
  const { data, info } = full;
  return { image: { data, width: info.width, height: info.height, channels: info.channels }, inks };
}
