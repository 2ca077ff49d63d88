// Small generated PDFs for the PDF tests: text pages, blank pages of any size, a corpus-image PDF.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';

import { corpusPath } from '../corpus.js';

export const FIXTURES = path.resolve(import.meta.dirname, '..', '..', '..', 'test', 'fixtures');
export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

export interface PageSpec {
  text?: string;
  /** Points; default 300 x 120. */
  size?: [number, number];
  rotate?: number;
}

/** One page per spec, its text drawn in Helvetica 24 pt near the left edge. */
export async function textPdf(pages: (string | PageSpec)[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const p of pages) {
    const spec = typeof p === 'string' ? { text: p } : p;
    const [w, h] = spec.size ?? [300, 120];
    const page = doc.addPage([w, h]);
    if (spec.text) page.drawText(spec.text, { x: 15, y: h / 2 - 8, size: 24, font });
    if (spec.rotate) page.setRotation(degrees(spec.rotate));
  }
  return Buffer.from(await doc.save());
}

/**
 * Bag-of-words F1 between two texts (words: runs of letters and digits, lower case): the one the
 * text-layer benchmark scores with (scripts/lib/doc-pdf.mjs), so a test bar and a benchmark figure
 * mean the same thing. Two texts without words score 0 there; no test here compares two such texts.
 */
export const { wordF1 } = (await import(new URL('../../../scripts/lib/doc-pdf.mjs', import.meta.url).href)) as {
  wordF1(a: string, b: string): number;
};

export const CORPUS_DEV = corpusPath('dev');

/** A scanned-style PDF: each image (PNG or JPEG) fills one page, sized as scanned at `dpi`; no text layer. */
export async function imagePdf(images: Buffer[], dpi = 300): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (const bytes of images) {
    const img = bytes[0] === 0xff ? await doc.embedJpg(bytes) : await doc.embedPng(bytes);
    const w = (img.width * 72) / dpi;
    const h = (img.height * 72) / dpi;
    doc.addPage([w, h]).drawImage(img, { x: 0, y: 0, width: w, height: h });
  }
  return Buffer.from(await doc.save());
}
