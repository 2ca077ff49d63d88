// POST /ocr/pdf and /ocr/batch, job polling and results, through app.inject.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import { PDFDocument, StandardFonts } from 'pdf-lib';

import { build, norm, submit, textImage, waitForResult } from '../../helper.js';

let app: FastifyInstance;

async function textPdf(pages: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([300, 120]);
    page.drawText(text, { x: 20, y: 60, size: 24, font });
  }
  return Buffer.from(await doc.save());
}

describe('POST /ocr/pdf', () => {
  before(async () => {
    app = await build(null, { MAX_PDF_PAGES: '3', MAX_DPI: '400' });
  });
  after(() => app.close());

  it('renders every page at the requested dpi and recognizes it', async () => {
    const res = await submit(app, await textPdf(['Alpha page', 'Beta page']), {
      url: '/ocr/pdf?dpi=150',
      filename: 'doc.pdf',
    });
    assert.equal(res.statusCode, 202, res.body);
    const accepted = res.json();
    assert.equal(accepted.processing_dpi, 150);
    assert.equal(accepted.filename, 'doc.pdf');
    const result = await waitForResult(app, accepted.job_id);
    assert.equal(result.statusCode, 200, result.body);
    const r = result.json();
    assert.equal(r.total_pages, 2);
    assert.equal(r.processing_dpi, 150);
    assert.equal(r.success, true);
    assert.deepEqual(r.failed_pages, []);
    assert.equal(r.cached, false);
    assert.deepEqual(
      r.pages.map((p: { page: number }) => p.page),
      [1, 2],
    );
    assert.equal(norm(r.pages[0].text), 'alphapage');
    assert.equal(norm(r.pages[1].text), 'betapage');
    assert.match(norm(r.full_text), /alphapage.*betapage/);
    // Boxes are in pixels of the page rendered at 150 dpi: the page is 300x120 pt = 625x250 px.
    const box = r.pages[0].lines[0].bbox;
    assert.ok(box[1][0] > 150 && box[1][0] <= 625, JSON.stringify(box));
  });

  it('the same PDF again comes from the cache, at the same dpi only', async () => {
    const pdf = await textPdf(['Cache me']);
    const first = await submit(app, pdf, { url: '/ocr/pdf?dpi=100', filename: 'a.pdf' });
    assert.equal((await waitForResult(app, first.json().job_id)).json().cached, false);
    const again = await submit(app, pdf, { url: '/ocr/pdf?dpi=100', filename: 'b.pdf' });
    const cached = (await waitForResult(app, again.json().job_id)).json();
    assert.equal(cached.cached, true);
    assert.equal(cached.filename, 'b.pdf');
    assert.equal(norm(cached.full_text), 'cacheme');
    const otherDpi = await submit(app, pdf, { url: '/ocr/pdf?dpi=120', filename: 'c.pdf' });
    assert.equal((await waitForResult(app, otherDpi.json().job_id)).json().cached, false);
  });

  it('default dpi is DEFAULT_DPI', async () => {
    const res = await submit(app, await textPdf(['x']), { url: '/ocr/pdf', filename: 'd.pdf' });
    assert.equal(res.json().processing_dpi, 300);
  });

  it('a bad dpi is a 400 naming the parameter', async () => {
    for (const dpi of ['50', '401', 'abc']) {
      const res = await submit(app, await textPdf(['x']), { url: `/ocr/pdf?dpi=${dpi}`, filename: 'd.pdf' });
      assert.equal(res.statusCode, 400, dpi);
      assert.match(res.json().message, /dpi/);
    }
  });

  it('more pages than MAX_PDF_PAGES is a 422', async () => {
    const res = await submit(app, await textPdf(['1', '2', '3', '4']), { url: '/ocr/pdf', filename: 'long.pdf' });
    assert.equal(res.statusCode, 422);
    assert.match(res.json().message, /4 pages.*MAX_PDF_PAGES/);
    assert.equal(res.json().filename, 'long.pdf');
  });

  it('a PNG renamed .pdf is a 415 pointing at /ocr/image; a broken PDF is a 422', async () => {
    const png = await submit(app, await textImage('x'), { url: '/ocr/pdf', filename: 'scan.pdf' });
    assert.equal(png.statusCode, 415);
    assert.match(png.json().message, /PNG.*\/ocr\/image/);
    const broken = await submit(app, Buffer.from('%PDF-1.4\n garbage'), { url: '/ocr/pdf', filename: 'broken.pdf' });
    assert.equal(broken.statusCode, 422, broken.body);
    assert.match(broken.json().message, /PDF/);
  });
});

describe('POST /ocr/batch', () => {
  before(async () => {
    app = await build(null);
  });
  after(() => app.close());

  it('creates one job per good file and reports the bad ones without failing the others', async () => {
    const res = await submit(
      app,
      [
        { field: 'files', filename: 'one.png', data: await textImage('Batch one') },
        { field: 'files', filename: 'bad.txt', data: Buffer.from('not an image') },
        { field: 'files', filename: 'two.pdf', data: await textPdf(['Batch two']) },
        { field: 'files', filename: 'empty.png', data: Buffer.alloc(0) },
      ],
      { url: '/ocr/batch?dpi=100' },
    );
    assert.equal(res.statusCode, 202, res.body);
    const body = res.json();
    assert.deepEqual(body.summary, { total_files: 4, jobs_created: 2, failed_files: 2, success: false });
    assert.equal(body.jobs[0].type, 'image');
    assert.equal(body.jobs[2].type, 'pdf');
    assert.equal(body.jobs[1].error, 'Unsupported Media Type');
    assert.equal(body.jobs[1].filename, 'bad.txt');
    assert.equal(body.jobs[3].error, 'Bad Request');
    assert.equal(norm((await waitForResult(app, body.jobs[0].job_id)).json().text), 'batchone');
    assert.equal(norm((await waitForResult(app, body.jobs[2].job_id)).json().full_text), 'batchtwo');
  });

  it('no files is a 400', async () => {
    const res = await submit(app, [{ field: 'other', data: 'x' }], { url: '/ocr/batch' });
    assert.equal(res.statusCode, 400);
  });
});

describe('GET /ocr/job/:job_id', () => {
  before(async () => {
    app = await build(null, { RESULT_TTL: '1' });
  });
  after(() => app.close());

  it('reports queued/processing with 202 and progress, then 200 when completed', async () => {
    const pdf = await textPdf(['One', 'Two', 'Three']);
    const res = await submit(app, pdf, { url: '/ocr/pdf?dpi=200', filename: 'p.pdf' });
    const id = res.json().job_id;
    const early = await app.inject({ method: 'GET', url: `/ocr/job/${id}` });
    assert.equal(early.statusCode, 202);
    assert.equal(early.json().ready, false);
    assert.equal(early.json().successful, null);
    assert.equal(early.json().failed, null);
    assert.ok(['queued', 'processing'].includes(early.json().status));
    assert.equal(early.json().progress.total_pages, 3);
    const pending = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result` });
    assert.equal(pending.statusCode, 202);
    assert.equal(pending.json().ready, false);
    await waitForResult(app, id);
    const done = await app.inject({ method: 'GET', url: `/ocr/job/${id}` });
    assert.equal(done.statusCode, 200);
    assert.deepEqual(done.json(), {
      job_id: id,
      status: 'completed',
      ready: true,
      successful: true,
      failed: false,
      progress: { pages_done: 3, total_pages: 3 },
    });
  });

  it('a failed job is 200 failed on status and 422 with the error body on result', async () => {
    const res = await submit(app, (await textImage('x')).subarray(0, 60), { url: '/ocr/image', filename: 'cut.png' });
    if (res.statusCode !== 202) return assert.equal(res.statusCode, 422);
    const id = res.json().job_id;
    const result = await waitForResult(app, id);
    assert.equal(result.statusCode, 422);
    assert.deepEqual(Object.keys(result.json()).sort(), ['error', 'filename', 'message']);
    const status = await app.inject({ method: 'GET', url: `/ocr/job/${id}` });
    assert.equal(status.json().status, 'failed');
    assert.equal(status.json().failed, true);
  });

  it('unknown and expired ids are 404', async () => {
    for (const url of ['/ocr/job/00000000-0000-4000-8000-000000000000', '/ocr/job/nope/result']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().error, 'Not Found');
    }
    const res = await submit(app, await textImage('Expire'), { url: '/ocr/image', filename: 'e.png' });
    const id = res.json().job_id;
    assert.equal((await waitForResult(app, id)).statusCode, 200);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await app.inject({ method: 'GET', url: `/ocr/job/${id}` })).statusCode, 404);
  });
});
