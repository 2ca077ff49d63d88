// PDFs at scale through the API: page ranges, limits, per-page failure, progress, partial results, txt.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { build, norm, submit, waitForResult } from '../../helper.js';
import { fixture, textPdf } from '../../pdf/fixtures.js';

let app: FastifyInstance;

interface Page {
  page: number;
  text: string;
  success: boolean;
  error?: string;
  dpi?: number;
}

describe('POST /ocr/pdf?pages=', () => {
  before(async () => {
    app = await build(null);
  });
  after(() => app.close());

  it('processes only the selected pages and keeps their original numbers', async () => {
    const pdf = await textPdf(['Alpha page', 'Beta page', 'Gamma page', 'Delta page']);
    const res = await submit(app, pdf, { url: '/ocr/pdf?dpi=100&pages=4,2-3', filename: 'doc.pdf' });
    assert.equal(res.statusCode, 202, res.body);
    assert.match(res.json().message, /4 page\(s\) accepted, 3 selected/);
    const r = (await waitForResult(app, res.json().job_id)).json();
    assert.deepEqual(
      r.pages.map((p: Page) => p.page),
      [2, 3, 4],
    );
    assert.deepEqual(
      r.pages.map((p: Page) => norm(p.text)),
      ['betapage', 'gammapage', 'deltapage'],
    );
    assert.equal(r.total_pages, 3);
    assert.ok(r.pages.every((p: Page) => p.dpi === 100));
    // Another selection of the same bytes is not served from the cache of the first.
    const other = await submit(app, pdf, { url: '/ocr/pdf?dpi=100&pages=1', filename: 'doc.pdf' });
    const o = (await waitForResult(app, other.json().job_id)).json();
    assert.equal(o.cached, false);
    assert.deepEqual(
      o.pages.map((p: Page) => norm(p.text)),
      ['alphapage'],
    );
  });

  it('a malformed or out-of-range spec is a 400', async () => {
    const pdf = await textPdf(['One', 'Two']);
    for (const [spec, re] of [
      ['x', /not a page number/],
      ['2-1', /not a range/],
      ['0', /"0"/],
      ['3', /out of range: the PDF has 2 pages/],
      ['1,,2', /Malformed/],
    ] as const) {
      const res = await submit(app, pdf, { url: `/ocr/pdf?pages=${encodeURIComponent(spec)}`, filename: 'doc.pdf' });
      assert.equal(res.statusCode, 400, `${spec}: ${res.body}`);
      assert.match(res.json().message, re);
    }
  });
});

describe('PDF limits before any OCR', () => {
  before(async () => {
    app = await build(null);
  });
  after(() => app.close());

  it('101 pages is a 422 naming MAX_PDF_PAGES (default 100)', async () => {
    const res = await submit(app, await textPdf(Array.from({ length: 101 }, () => '')), {
      url: '/ocr/pdf',
      filename: 'long.pdf',
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.json().message, /101 pages; the limit is 100 pages \(MAX_PDF_PAGES\)/);
    assert.equal(res.json().filename, 'long.pdf');
  });

  it('encrypted PDFs are a 422 saying "encrypted"', async () => {
    for (const name of ['encrypted-user-password.pdf', 'encrypted-owner-only.pdf']) {
      const res = await submit(app, fixture(name), { url: '/ocr/pdf', filename: name });
      assert.equal(res.statusCode, 422, name);
      assert.match(res.json().message, /encrypted/);
    }
  });

  it('corrupt, truncated and zero-byte PDFs are a 422', async () => {
    const good = await textPdf(['Truncated']);
    for (const [name, data] of [
      ['corrupt.pdf', Buffer.from('%PDF-1.4\n garbage')],
      ['truncated.pdf', good.subarray(0, good.length >> 1)],
      ['zero.pdf', Buffer.alloc(0)],
    ] as const) {
      const res = await submit(app, data, { url: '/ocr/pdf', filename: name });
      assert.equal(res.statusCode, 422, `${name}: ${res.body}`);
      assert.match(res.json().message, /PDF/);
      assert.equal(res.json().filename, name);
    }
  });
});

describe('pixel budget and per-page failure', () => {
  before(async () => {
    // 30000 pixels: a 150x60 pt page fits at 100 dpi (208x83); a 200-inch page not even at 1 dpi.
    app = await build(null, { MAX_PDF_PAGE_PIXELS: '30000' });
  });
  after(() => app.close());

  it('a page that cannot be rendered fails alone; the job completes with the others', async () => {
    const pdf = await textPdf([
      { text: 'First', size: [150, 60] },
      { size: [14400, 14400] },
      { text: 'Third', size: [150, 60] },
    ]);
    const res = await submit(app, pdf, { url: '/ocr/pdf?dpi=100', filename: 'doc.pdf' });
    assert.equal(res.statusCode, 202, res.body);
    const result = await waitForResult(app, res.json().job_id);
    assert.equal(result.statusCode, 200, result.body);
    const r = result.json();
    // The job succeeds when any page did; the failed ones are listed.
    assert.equal(r.success, true);
    assert.deepEqual(r.failed_pages, [2]);
    assert.deepEqual(
      r.pages.map((p: Page) => [p.page, p.success]),
      [
        [1, true],
        [2, false],
        [3, true],
      ],
    );
    assert.match(r.pages[1].error, /MAX_PDF_PAGE_PIXELS/);
    assert.deepEqual([norm(r.pages[0].text), norm(r.pages[2].text)], ['first', 'third']);
  });

  it('a page over the budget at the requested dpi is rendered at the highest dpi that fits', async () => {
    const res = await submit(app, await textPdf([{ text: 'Lower', size: [150, 60] }]), {
      url: '/ocr/pdf?dpi=150',
      filename: 'doc.pdf',
    });
    const r = (await waitForResult(app, res.json().job_id)).json();
    assert.equal(r.processing_dpi, 150);
    const page = r.pages[0];
    assert.ok(page.dpi < 150 && page.dpi >= 100, String(page.dpi));
    assert.ok(page.width * page.height <= 30000);
    assert.equal(norm(page.text), 'lower');
  });

  it('every page failing fails the job', async () => {
    const res = await submit(app, await textPdf([{ size: [14400, 14400] }]), {
      url: '/ocr/pdf?dpi=100',
      filename: 'doc.pdf',
    });
    const result = await waitForResult(app, res.json().job_id);
    assert.equal(result.statusCode, 422);
    assert.match(result.json().message, /MAX_PDF_PAGE_PIXELS/);
  });
});

describe('progress, partial results and txt', () => {
  before(async () => {
    app = await build(null);
  });
  after(() => app.close());

  it('pages_done goes up while the job runs; partial=true returns the pages finished so far', async () => {
    const texts = ['Page one', 'Page two', 'Page three', 'Page four', 'Page five', 'Page six'];
    // pdf_text=ocr: read from their own text, the six pages would all be done at once.
    const res = await submit(app, await textPdf(texts), { url: '/ocr/pdf?dpi=150&pdf_text=ocr', filename: 'doc.pdf' });
    const id = res.json().job_id;
    const seen: number[] = [];
    let partialChecked = false;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      const status = await app.inject({ method: 'GET', url: `/ocr/job/${id}` });
      const { progress } = status.json();
      assert.equal(progress.total_pages, 6);
      if (seen.at(-1) !== progress.pages_done) seen.push(progress.pages_done);
      if (status.statusCode === 200) break;
      if (!partialChecked && progress.pages_done >= 1 && progress.pages_done < 6) {
        const partial = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?partial=true` });
        if (partial.statusCode === 202) {
          const body = partial.json();
          assert.equal(body.partial, true);
          assert.ok(body.pages.length >= progress.pages_done && body.pages.length <= 6);
          for (const p of body.pages) assert.equal(norm(p.text), norm(texts[p.page - 1]));
          partialChecked = true;
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(seen.at(-1), 6);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], seen.join(','));
    assert.ok(
      seen.some((n) => n > 0 && n < 6),
      `no intermediate progress seen: ${seen.join(',')}`,
    );
    assert.ok(partialChecked, 'no partial result seen while running');
    // Once complete, partial=true is just the full result.
    const done = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?partial=true` });
    assert.equal(done.statusCode, 200);
    assert.equal(done.json().pages.length, 6);
  });

  it('format=txt separates pages with form feeds', async () => {
    const res = await submit(app, await textPdf(['First sheet', 'Second sheet']), {
      url: '/ocr/pdf?dpi=100',
      filename: 'doc.pdf',
    });
    const id = res.json().job_id;
    await waitForResult(app, id);
    const txt = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=txt` });
    assert.equal(txt.statusCode, 200);
    assert.match(txt.headers['content-type'] as string, /^text\/plain/);
    const pages = txt.body.split('\f');
    assert.deepEqual(pages.map(norm), ['firstsheet', 'secondsheet']);
    const bad = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=docx` });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /format/);
  });
});
