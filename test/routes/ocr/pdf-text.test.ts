// `pdf_text` on POST /ocr/pdf and /ocr/batch, PDF_TEXT, and the searchable PDF of each mode.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';

import { build, norm, submit, submitJob, waitForResult } from '../../helper.js';
import { textPdf } from '../../pdf/fixtures.js';

const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
function pdftotext(pdf: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pdf-text-')), 'in.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [file, '-']).toString();
}
const words = (s: string) => (s.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase());

let app: FastifyInstance;

describe('pdf_text', () => {
  let pdf: Buffer;
  before(async () => {
    app = await build(null);
    pdf = await textPdf(['Embedded alpha words', 'Embedded beta words']);
  });
  after(() => app.close());

  it('auto (default): pages with text are answered from it, source pdf, confidence 1, in the pixel frame of the dpi', async () => {
    const id = await submitJob(app, pdf, { url: '/ocr/pdf?dpi=150', filename: 'doc.pdf' });
    const r = (await waitForResult(app, id)).json();
    assert.equal(r.pdf_text, 'auto');
    assert.deepEqual(
      r.pages.map((p: { source: string }) => p.source),
      ['pdf', 'pdf'],
    );
    assert.equal(r.pages[0].text, 'Embedded alpha words');
    assert.equal(r.pages[0].lines[0].confidence, 1);
    assert.deepEqual(
      r.pages[0].lines[0].words.map((w: { text: string }) => w.text),
      ['Embedded', 'alpha', 'words'],
    );
    assert.deepEqual([r.pages[0].width, r.pages[0].height, r.pages[0].dpi], [625, 250, 150]);
    assert.equal(r.pages[0].blocks.length, 1);
    const md = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=md` });
    assert.match(md.body, /Embedded alpha words/);
  });

  it('ocr: every page is recognized; the searchable PDF adds no second layer over the usable text', async (t) => {
    const id = await submitJob(app, pdf, { url: '/ocr/pdf?dpi=150&pdf_text=ocr', filename: 'doc.pdf' });
    const r = (await waitForResult(app, id)).json();
    assert.equal(r.pdf_text, 'ocr');
    assert.deepEqual(
      r.pages.map((p: { source: string; text_layer: string }) => [p.source, p.text_layer]),
      [
        ['ocr', 'usable'],
        ['ocr', 'usable'],
      ],
    );
    assert.equal(norm(r.pages[1].text), 'embeddedbetawords');
    if (!hasPdftotext) return t.skip('pdftotext (poppler-utils) is not installed');
    const out = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=pdf` });
    assert.deepEqual(words(pdftotext(out.rawPayload)), words('Embedded alpha words Embedded beta words'));
  });

  it('force: the searchable PDF is the renders with the OCR text only (each word once, no original text)', async (t) => {
    const id = await submitJob(app, pdf, {
      url: '/ocr/batch?dpi=150&pdf_text=force',
      field: 'files',
      filename: 'doc.pdf',
    });
    const r = (await waitForResult(app, id)).json();
    assert.equal(r.pdf_text, 'force');
    assert.deepEqual(
      r.pages.map((p: { source: string; text_layer?: string }) => [p.source, p.text_layer]),
      [
        ['ocr', undefined],
        ['ocr', undefined],
      ],
    );
    const out = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=pdf` });
    const doc = await PDFDocument.load(out.rawPayload);
    assert.equal(doc.getPageCount(), 2);
    assert.deepEqual(doc.getPage(0).getSize(), { width: 300, height: 120 });
    if (!hasPdftotext) return t.skip('pdftotext (poppler-utils) is not installed');
    const text = words(pdftotext(out.rawPayload));
    assert.deepEqual(text, words(r.full_text));
    assert.equal(text.filter((w) => w === 'embedded').length, 2);
  });

  it('a bad value is a 400 naming pdf_text', async () => {
    for (const route of ['/ocr/pdf', '/ocr/batch']) {
      const field = route === '/ocr/pdf' ? 'file' : 'files';
      const res = await submit(app, pdf, { url: `${route}?pdf_text=maybe`, field, filename: 'doc.pdf' });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error, 'Bad Request');
      assert.match(res.json().message, /pdf_text/);
    }
  });

  it('PDF_TEXT=ocr is the default a request overrides; modes are cached apart', async () => {
    const other = await build(null, { PDF_TEXT: 'ocr' });
    try {
      const sub = async (q: string) => {
        const res = await submit(other, pdf, { url: `/ocr/pdf?dpi=100${q}`, filename: 'a.pdf' });
        return (await waitForResult(other, res.json().job_id)).json();
      };
      const byDefault = await sub('');
      assert.equal(byDefault.pdf_text, 'ocr');
      assert.equal(byDefault.pages[0].source, 'ocr');
      const asked = await sub('&pdf_text=auto');
      assert.equal(asked.cached, false);
      assert.equal(asked.pages[0].source, 'pdf');
    } finally {
      await other.close();
    }
  });
});
