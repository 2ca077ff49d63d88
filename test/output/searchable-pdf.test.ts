// ?format=pdf: the searchable PDF opens in pdfinfo and pdftotext finds the OCR result's words in it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

import type { OcrLine } from '../../src/native/engine.js';
import { drawable } from '../../src/output/pdf-text-layer.js';
import { searchablePdf } from '../../src/output/searchable-pdf.js';
import { withoutCorpus } from '../corpus.js';
import { build, multiPage, norm, submitJob, textImage, waitForResult } from '../helper.js';
import { CORPUS_DEV, imagePdf, textPdf, wordF1 } from '../pdf/fixtures.js';

let app: FastifyInstance;
const dir = mkdtempSync(path.join(tmpdir(), 'searchable-'));

/** pdfinfo (throws on errors, prints them on stderr) and pdftotext of a PDF. */
function poppler(pdf: Buffer | Uint8Array, name: string): { info: string; text: string } {
  const file = path.join(dir, name);
  writeFileSync(file, pdf);
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  assert.equal(info.status, 0, info.stderr);
  assert.equal(info.stderr, '', `pdfinfo ${name}`);
  const text = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  assert.equal(text.status, 0, text.stderr);
  assert.equal(text.stderr, '', `pdftotext ${name}`);
  return { info: info.stdout, text: text.stdout };
}

async function job(url: string, data: Buffer, filename: string) {
  const id = await submitJob(app, data, { url, filename });
  const result = (await waitForResult(app, id, 60_000)).json();
  const pdf = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=pdf` });
  assert.equal(pdf.statusCode, 200, pdf.body);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  return { result, pdf: pdf.rawPayload };
}

after(() => rmSync(dir, { recursive: true, force: true }));

const pageCount = (info: string) => Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);

describe('GET /ocr/job/:id/result?format=pdf', () => {
  before(async () => {
    app = await build(null, { OCR_WORKERS: '2' });
  });
  after(() => app.close());

  it(
    'scanned corpus pages: pdftotext words match the OCR words (F1 >= 0.99)',
    { skip: withoutCorpus('dev/cvs-paper_p009.png', 'dev/debhist-de_p008.png') },
    async () => {
      const pngs = ['cvs-paper_p009.png', 'debhist-de_p008.png'].map((f) => readFileSync(path.join(CORPUS_DEV, f)));
      const { result, pdf } = await job('/ocr/pdf?dpi=100', await imagePdf(pngs), 'scan.pdf');
      assert.equal(result.success, true);
      const { info, text } = poppler(pdf, 'scan.pdf');
      assert.equal(pageCount(info), 2);
      const pages = text.split('\f');
      for (const p of result.pages) {
        assert.ok(p.lines.length > 10, `page ${p.page}: ${p.lines.length} lines`);
        const f1 = wordF1(p.text, pages[p.page - 1]);
        assert.ok(f1 >= 0.99, `page ${p.page}: F1 ${f1.toFixed(4)}`);
      }
      assert.ok(wordF1(result.full_text, text) >= 0.99);
    },
  );

  it('the text sits over its line: selecting a box gives that line (rotated page too)', async () => {
    const png = await textImage(['Northern lights', 'Southern cross'], 'png', 600);
    const scan = await imagePdf([png], 150);
    const { result, pdf } = await job('/ocr/pdf?dpi=150', scan, 'lines.pdf');
    const line = result.pages[0].lines[1];
    const [x0, y0] = line.bbox[0];
    const [x1, y1] = line.bbox[2];
    // At 150 dpi, pixels = points * 150/72; pdftotext -x/-y/-W/-H take points at 72 dpi.
    const k = 72 / 150;
    const file = path.join(dir, 'lines.pdf');
    writeFileSync(file, pdf);
    const crop = execFileSync(
      'pdftotext',
      [
        '-x',
        String(Math.floor(x0 * k)),
        '-y',
        String(Math.floor(y0 * k)),
        '-W',
        String(Math.ceil((x1 - x0) * k) + 2),
        '-H',
        String(Math.ceil((y1 - y0) * k) + 2),
        file,
        '-',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(norm(crop), norm(line.text));
    assert.equal(norm(line.text), 'southerncross');
  });

  it('images: the picture becomes the page; a multi-page TIFF gives one page each', async () => {
    const png = await job('/ocr/image', await textImage('Searchable image'), 'one.png');
    const one = poppler(png.pdf, 'one.pdf');
    assert.equal(pageCount(one.info), 1);
    assert.equal(norm(one.text), norm(png.result.text));
    const tiff = await job(
      '/ocr/image',
      await multiPage(['Tiff first', 'Tiff second', 'Tiff third'], 'tiff'),
      'three.tiff',
    );
    assert.deepEqual(
      tiff.result.pages.map((p: { text: string }) => norm(p.text)),
      ['tifffirst', 'tiffsecond', 'tiffthird'],
    );
    const three = poppler(tiff.pdf, 'three.pdf');
    assert.equal(pageCount(three.info), 3);
    assert.deepEqual(three.text.split('\f').slice(0, 3).map(norm), ['tifffirst', 'tiffsecond', 'tiffthird']);
  });

  it('a PDF job with a page range keeps every page and adds text to the selected ones', async () => {
    const pngs = await Promise.all(['Kept one', 'Kept two', 'Kept three'].map((t) => textImage(t)));
    const { result, pdf } = await job('/ocr/pdf?dpi=100&pages=2', await imagePdf(pngs, 100), 'range.pdf');
    assert.deepEqual(
      result.pages.map((p: { page: number }) => p.page),
      [2],
    );
    const { info, text } = poppler(pdf, 'range.pdf');
    assert.equal(pageCount(info), 3);
    assert.deepEqual(text.split('\f').slice(0, 3).map(norm), ['', 'akepttwo'.slice(1), '']);
  });
});

describe('searchablePdf fonts', () => {
  const output = {
    kind: 'image' as const,
    text: 'Grüße 漢字 😀 naïve',
    lines: [
      {
        text: 'Grüße 漢字 😀 naïve\u0007',
        confidence: 0.9,
        bbox: [
          [10, 10],
          [300, 10],
          [300, 40],
          [10, 40],
        ] as OcrLine['bbox'],
      },
    ],
    success: true,
  };

  it('characters the font lacks become "?" and never crash, with DejaVu or with the Helvetica fallback', async () => {
    const png = await sharp({ create: { width: 320, height: 60, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    for (const [name, fontFile] of [
      ['dejavu', undefined],
      ['helvetica', null],
    ] as const) {
      const pdf = await searchablePdf(png, 'png', output, { fontFile });
      const { text } = poppler(pdf, `${name}.pdf`);
      assert.match(text, /Grüße/, name);
      assert.match(text, /na.ve/, name);
      assert.ok(!text.includes('漢'), name);
    }
  });

  it('drawable() keeps covered characters and replaces the rest', () => {
    assert.equal(drawable('ab\tc€漢', new Set([...'abc?'].map((c) => c.codePointAt(0)!))), 'ab c??');
  });

  it('a text-less page or an empty result still gives a valid PDF', async () => {
    const pdf = await searchablePdf(await textPdf([{ size: [200, 100] }]), 'pdf', {
      kind: 'pdf',
      pages: [{ page: 1, text: '', lines: [], success: false, error: 'x' }],
      full_text: '',
      total_pages: 1,
      failed_pages: [1],
      success: false,
      processing_dpi: 100,
    });
    assert.equal(pageCount(poppler(pdf, 'empty.pdf').info), 1);
  });
});
