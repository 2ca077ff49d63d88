// The API contract of the api branch, through real routes and the real engine (memory mode, and
// Redis mode in the second pass of scripts/run-tests.mjs): error codes and messages, 405, ?wait=,
// DELETE, one result shape, Tesseract language codes, the language list, the scan-size defaults.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

import { build, submit, textImage } from '../../helper.js';

let app: FastifyInstance;

describe('api contract', () => {
  before(async () => {
    app = await build(null, {});
  });
  after(() => app?.close());

  it('an enum parameter lists its allowed values once, with a code', async () => {
    const res = await app.inject({ method: 'GET', url: '/ocr/job/x/result?format=docx' });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(body.code, 'invalid_parameter');
    assert.equal(
      body.message,
      `Query parameter 'format' must be one of: json, txt, md, html, csv, pdf, hocr, alto (received "docx")`,
    );
    const o = await app.inject({ method: 'POST', url: '/ocr/image?orientation=sideways' });
    assert.match(o.json().message, /^Query parameter 'orientation' must be one of: auto, off/);
  });

  it('a known path with the wrong method is a 405 with Allow; unknown paths a 404 with a code', async () => {
    const res = await app.inject({ method: 'GET', url: '/ocr/image' });
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers.allow, 'POST');
    assert.equal(res.json().code, 'method_not_allowed');
    const put = await app.inject({ method: 'PUT', url: '/ocr/job/abc' });
    assert.equal(put.statusCode, 405);
    assert.match(String(put.headers.allow), /DELETE/);
    const none = await app.inject({ method: 'GET', url: '/nope' });
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().code, 'not_found');
  });

  it('an image over the limits names every limit; a letter page at 400 dpi is accepted', async () => {
    const big = await sharp({ create: { width: 10_001, height: 20, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    const res = await submit(app, big, { filename: 'a.png' });
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, 'image_too_large');
    assert.match(
      res.json().message,
      /10001x20 pixels.*10000 px on either side \(MAX_IMAGE_WIDTH, MAX_IMAGE_HEIGHT\) and 40000000 pixels in all \(MAX_IMAGE_PIXELS\)/,
    );
    const letter = await sharp({ create: { width: 3400, height: 4400, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    const ok = await submit(app, letter, { filename: 'letter.png' });
    assert.equal(ok.statusCode, 202, ok.body);
    assert.equal((await app.inject({ method: 'DELETE', url: `/ocr/job/${ok.json().job_id}` })).statusCode, 204);
  });

  it('?wait= answers the result in one shape (pages[] and text); over WAIT_MAX is a 400', async () => {
    const img = await textImage('Hello world');
    const res = await submit(app, img, { url: '/ocr/image?wait=30&lang=eng', filename: 'a.png' });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    assert.equal(r.status, 'completed');
    assert.equal(r.pages.length, 1);
    assert.equal(r.total_pages, 1);
    assert.deepEqual(r.failed_pages, []);
    assert.match(r.pages[0].text, /Hello/);
    assert.equal(r.text, r.pages[0].text);
    assert.deepEqual(r.lines, r.pages[0].lines); // deprecated, kept
    assert.equal(r.pages[0].language, 'en');
    const again = await app.inject({ method: 'GET', url: `/ocr/job/${r.job_id}/result?wait=5` });
    assert.equal(again.statusCode, 200);
    const over = await submit(app, img, { url: '/ocr/image?wait=61', filename: 'a.png' });
    assert.equal(over.statusCode, 400);
    assert.match(over.json().message, /'wait' must be <= 60/);
  });

  it('Tesseract codes and + combinations are accepted; a bad combination is a 400', async () => {
    const img = await textImage('Guten Tag');
    const res = await submit(app, img, { url: '/ocr/image?wait=30&lang=deu%2Beng', filename: 'a.png' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().pages[0].language, 'de');
    const bad = await submit(app, img, { url: '/ocr/image?lang=auto%2Bdeu', filename: 'a.png' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'bad_request');
  });

  it('OCR_LANG=eng+deu is the default of a request without lang', async (t) => {
    const own = await build(t, { OCR_LANG: 'eng+deu' });
    const res = await submit(own, await textImage('Default language combination'), {
      url: '/ocr/image?wait=30',
      filename: 'a.png',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().pages[0].language, 'en');
    assert.match(res.json().text, /Default/);
  });

  it('DELETE removes the job and its cached result; an unknown id is a 404', async () => {
    const img = await textImage('Delete me please');
    const first = (await submit(app, img, { url: '/ocr/image?wait=30', filename: 'a.png' })).json();
    assert.equal(first.status, 'completed');
    const del = await app.inject({ method: 'DELETE', url: `/ocr/job/${first.job_id}` });
    assert.equal(del.statusCode, 204);
    assert.equal((await app.inject({ method: 'GET', url: `/ocr/job/${first.job_id}` })).statusCode, 404);
    const again = (await submit(app, img, { url: '/ocr/image?wait=30', filename: 'a.png' })).json();
    assert.equal(again.cached, false, 'the cached result went with the job');
    const unknown = await app.inject({ method: 'DELETE', url: '/ocr/job/00000000-0000-0000-0000-000000000000' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'not_found');
  });

  it('GET /languages lists auto and every language with its availability', async () => {
    const res = await app.inject({ method: 'GET', url: '/languages' });
    const { languages } = res.json() as { languages: { code: string; available: boolean; tesseract?: string }[] };
    assert.equal(languages[0].code, 'auto');
    const fr = languages.find((l) => l.code === 'fr')!;
    assert.equal(fr.available, true);
    assert.equal(fr.tesseract, 'fra');
    assert.ok(languages.length > 40);
  });
});
