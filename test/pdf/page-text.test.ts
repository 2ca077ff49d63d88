// A PDF's own text layer (`pdf_text=auto`): a real born-digital manual from a Debian package read
// from its text (word F1 against pdftotext), scans still OCRed, a scan with a typed header OCRed,
// garbled text refused, and the searchable PDF holding each word once.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

import type { JobOutput, PageText } from '../../src/jobs/types.js';
import { laidOut } from '../../src/page/assemble.js';
import { searchablePdf } from '../../src/output/searchable-pdf.js';
import { type PdfPageRead, pdfPages } from '../../src/pdf/page-text.js';
import { openPdf } from '../../src/pdf/render.js';
import { textReadable } from '../../src/pdf/text-check.js';
import { imagePdf, textPdf, wordF1 } from './fixtures.js';

const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
const pdftotext = (pdf: Buffer | string, first?: number, last?: number): string => {
  const file = typeof pdf === 'string' ? pdf : path.join(mkdtempSync(path.join(os.tmpdir(), 'pdftext-')), 'in.pdf');
  if (typeof pdf !== 'string') writeFileSync(file, pdf);
  const range = first ? ['-f', String(first), '-l', String(last ?? first)] : [];
  return execFileSync('pdftotext', [...range, file, '-'], { maxBuffer: 64 * 2 ** 20 }).toString();
};

/** The Debian manual (scripts/lib/doc-pdf.mjs), or why it cannot be had here. */
async function manual(): Promise<string | Error> {
  try {
    const lib = (await import(new URL('../../../scripts/lib/doc-pdf.mjs', import.meta.url).href)) as {
      docPdf(): string;
    };
    return lib.docPdf();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

async function readAll(
  bytes: Uint8Array,
  dpi: number,
  pages: number[],
  mode: 'auto' | 'ocr' | 'force' = 'auto',
): Promise<PdfPageRead[]> {
  const out: PdfPageRead[] = [];
  for await (const p of pdfPages(bytes, dpi, pages, mode)) out.push(p);
  return out;
}

/** The job output the service builds for pages answered from their text (as src/jobs/process.ts toPage does). */
function outputOf(reads: PdfPageRead[], dpi: number): JobOutput {
  const pages: PageText[] = reads.map((p) => {
    if (!('lines' in p)) throw new Error(`page ${p.page} was not answered from its text`);
    return {
      page: p.page,
      ...laidOut(p.lines, p.width, p.height),
      success: true,
      dpi: p.dpi,
      width: p.width,
      height: p.height,
      source: 'pdf',
    };
  });
  return {
    kind: 'pdf',
    pages,
    full_text: pages.map((p) => p.text).join('\n\n'),
    total_pages: pages.length,
    success: true,
    failed_pages: [],
    processing_dpi: dpi,
    pdf_text: 'auto',
  };
}

describe('PDF text layer', () => {
  it('a 311-page born-digital manual (Debian gnuplot-doc) is read from its text: word F1 >= 0.99 against pdftotext', async (t) => {
    if (!hasPdftotext) return t.skip('pdftotext (poppler-utils) is not installed');
    const file = await manual();
    if (file instanceof Error) return t.skip(`the Debian manual cannot be fetched here: ${file.message}`);
    const bytes = readFileSync(file);
    const doc = await openPdf(bytes);
    const n = doc.pageCount;
    doc.close();
    assert.ok(n >= 100, `${n} pages`);
    const reads = await readAll(
      bytes,
      300,
      Array.from({ length: n }, (_, i) => i),
    );
    const ocred = reads.filter((p) => !('lines' in p)).map((p) => p.page);
    assert.deepEqual(ocred, [], 'every page of a typeset manual has usable text');
    const out = outputOf(reads, 300);
    const f1 = wordF1(pdftotext(file), out.kind === 'pdf' ? out.full_text : '');
    assert.ok(f1 >= 0.99, `word F1 ${f1.toFixed(4)}`);
    // Boxes in the pixel frame of the page at 300 dpi (US Letter: 2550 x 3300).
    const first = out.kind === 'pdf' ? out.pages[9] : undefined;
    assert.equal(first?.width, 2550);
    assert.equal(first?.height, 3300);
    for (const line of first!.lines)
      for (const [x, y] of line.bbox) assert.ok(x >= 0 && x <= 2550 && y >= 0 && y <= 3300, JSON.stringify(line.bbox));
  });

  it('the searchable PDF of a text PDF keeps its text alone: each word once in pdftotext', async (t) => {
    if (!hasPdftotext) return t.skip('pdftotext (poppler-utils) is not installed');
    const file = await manual();
    if (file instanceof Error) return t.skip(`the Debian manual cannot be fetched here: ${file.message}`);
    // Twelve pages of it (pdf-lib copies the rest untouched): the layer question is per page.
    const src = await PDFDocument.load(readFileSync(file));
    const part = await PDFDocument.create();
    for (const p of await part.copyPages(
      src,
      Array.from({ length: 12 }, (_, i) => i + 20),
    ))
      part.addPage(p);
    const bytes = Buffer.from(await part.save());
    const out = outputOf(
      await readAll(
        bytes,
        150,
        Array.from({ length: 12 }, (_, i) => i),
      ),
      150,
    );
    const searchable = Buffer.from(await searchablePdf(bytes, 'pdf', out));
    const before = pdftotext(bytes);
    const after = pdftotext(searchable);
    assert.equal(wordF1(before, after), 1);
    assert.equal((after.match(/[\p{L}\p{N}]+/gu) ?? []).length, (before.match(/[\p{L}\p{N}]+/gu) ?? []).length);
  });

  it('boxes follow the page rotation and the dpi', async () => {
    const pdf = await textPdf([{ text: 'Upright words' }, { text: 'Turned words', rotate: 90 }]);
    const [upright, turned] = await readAll(pdf, 144, [0, 1]);
    assert.ok('lines' in upright && 'lines' in turned);
    assert.deepEqual([upright.width, upright.height], [600, 240]);
    assert.deepEqual([turned.width, turned.height], [240, 600]);
    assert.equal(upright.lines[0].text, 'Upright words');
    assert.match(turned.lines.map((l) => l.text).join(' '), /^Turned ?words$/);
    // Drawn at x = 15 pt, baseline 52 pt up a 120 pt page: at 144 dpi, left edge 30 px, bottom ~ 136 px down.
    const box = upright.lines[0].bbox;
    assert.ok(Math.abs(box[0][0] - 30) <= 2, JSON.stringify(box));
    assert.ok(box[2][1] > 120 && box[2][1] < 150, JSON.stringify(box));
    // Turned 90° clockwise: the text runs down the page, near its right edge.
    const tb = turned.lines.flatMap((l) => l.bbox);
    const xs = tb.map((p) => p[0]);
    const ys = tb.map((p) => p[1]);
    assert.ok(Math.min(...xs) > 90, `x ${Math.min(...xs)}`);
    assert.ok(Math.max(...ys) - Math.min(...ys) > Math.max(...xs) - Math.min(...xs), 'taller than wide');
  });

  it('a scanned PDF (pages as images) has no text: it is rendered for OCR', async () => {
    const doc = await openPdf(await textPdf(['Scanned page text here']));
    const png = await sharp((await doc.renderPage(0, 150)).data, { raw: { width: 625, height: 250, channels: 1 } })
      .png()
      .toBuffer();
    doc.close();
    const [page] = await readAll(await imagePdf([png], 150), 150, [0]);
    assert.ok(!('lines' in page), 'rendered, not read');
    assert.equal(page.textLayer, undefined);
  });

  it('a scan with a typed header (text covering little of its ink) is rendered for OCR, its text noted unusable', async () => {
    const scan = await openPdf(await textPdf([{ text: 'A long scanned line of body text', size: [500, 300] }]));
    const px = await scan.renderPage(0, 150);
    scan.close();
    const png = await sharp(px.data, { raw: { width: px.width, height: px.height, channels: 1 } })
      .png()
      .toBuffer();
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([500, 300]);
    page.drawImage(await doc.embedPng(png), { x: 0, y: 0, width: 500, height: 300 });
    page.drawText('Fax 3', { x: 10, y: 285, size: 8, font });
    const [read] = await readAll(Buffer.from(await doc.save()), 150, [0]);
    assert.ok(!('lines' in read), 'rendered, not read');
    assert.equal(read.textLayer, 'unusable');
  });

  it('text that is mostly unreadable codes (no ToUnicode map) is refused', () => {
    const box: [number, number, number, number] = [0, 0, 10, 10];
    const chars = (codes: number[]) => codes.map((code) => ({ code, box }));
    assert.deepEqual(textReadable(chars([0xfffd, 0xfffd, 0x41, 0xe001])), { usable: false, reason: 'garbled' });
    assert.deepEqual(textReadable(chars([0x20, 0x0d, 0x0a])), { usable: false, reason: 'none' });
    assert.deepEqual(textReadable(chars([...'Plain words, one odd'].map((c) => c.codePointAt(0)!).concat(0xfffd))), {
      usable: true,
    });
  });

  it('pdf_text=ocr renders every page and notes usable text; force does not read it', async () => {
    const pdf = await textPdf(['Some words']);
    const [ocr] = await readAll(pdf, 100, [0], 'ocr');
    assert.ok(!('lines' in ocr) && ocr.textLayer === 'usable');
    const [force] = await readAll(pdf, 100, [0], 'force');
    assert.ok(!('lines' in force) && force.textLayer === undefined);
  });
});
