// POST /ocr/image through app.inject: formats, multipart edge cases, every error code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';

import { corpusPath, withoutCorpus } from '../../corpus.js';
import { encodeBmp } from '../../fixtures/bmp.js';
import { build, multiPage, norm, submit, textImage, textPixels, waitForResult } from '../../helper.js';

let app: FastifyInstance;

async function ocr(data: Buffer, filename: string) {
  const res = await submit(app, data, { filename });
  assert.equal(res.statusCode, 202, res.body);
  const accepted = res.json();
  assert.match(accepted.job_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(accepted.status, 'processing');
  assert.equal(accepted.filename, filename);
  assert.equal(accepted.file_size, data.length);
  const result = await waitForResult(app, accepted.job_id);
  assert.equal(result.statusCode, 200, result.body);
  return result.json();
}

describe('POST /ocr/image', () => {
  before(async () => {
    app = await build(null, { MAX_IMAGE_WIDTH: '1000', MAX_IMAGE_HEIGHT: '1000' });
  });
  after(() => app.close());

  it('recognizes a PNG and returns text, lines with four-point boxes, and metadata', async () => {
    const r = await ocr(await textImage('Hello World 42'), 'hello.png');
    assert.equal(r.status, 'completed');
    assert.equal(r.success, true);
    assert.equal(r.cached, false);
    assert.equal(norm(r.text), 'helloworld42');
    assert.equal(r.lines.length, 1);
    assert.equal(r.lines[0].bbox.length, 4);
    for (const p of r.lines[0].bbox) assert.equal(p.length, 2);
    assert.ok(r.lines[0].confidence > 0.8);
    assert.ok(r.lines[0].bbox[1][0] > r.lines[0].bbox[0][0]);
    assert.equal(typeof r.processing_time_seconds, 'number');
  });

  for (const format of ['jpeg', 'webp'] as const) {
    it(`recognizes ${format.toUpperCase()}`, async () => {
      const r = await ocr(await textImage(`Format ${format}`, format), `x.${format}`);
      assert.equal(norm(r.text), norm(`Format ${format}`));
    });
  }

  it('recognizes a 24-bit and an 8-bit BMP (sharp cannot read BMP)', async () => {
    const px = await textPixels('Bitmap 24');
    const r = await ocr(encodeBmp(px, 24), 'scan.bmp');
    assert.equal(norm(r.text), 'bitmap24');
    const r8 = await ocr(encodeBmp(await textPixels('Gray 8 bit'), 8, true), 'gray.bmp');
    assert.equal(norm(r8.text), 'gray8bit');
  });

  it('an unsupported BMP variant is a 422 with the reason', async () => {
    const bmp = encodeBmp(await textPixels('RLE'), 24);
    bmp.writeUInt32LE(2, 30);
    const res = await submit(app, bmp, { filename: 'rle.bmp' });
    const job = res.json().job_id;
    const result = await waitForResult(app, job);
    assert.equal(result.statusCode, 422);
    assert.match(result.json().message, /Unsupported BMP variant: RLE4/);
    assert.equal(result.json().filename, 'rle.bmp');
  });

  it('recognizes every page of a multi-page TIFF', async () => {
    const r = await ocr(await multiPage(['First page', 'Second page'], 'tiff'), 'two.tiff');
    assert.equal(r.pages.length, 2);
    assert.equal(norm(r.pages[0].text), 'firstpage');
    assert.equal(norm(r.pages[1].text), 'secondpage');
    assert.equal(r.pages[1].page, 2);
    assert.match(norm(r.text), /firstpage.*secondpage/);
  });

  it('a TIFF page that does not decode fails alone; the job completes with the others', async () => {
    const tiff = await multiPage(['First page', 'Broken page', 'Third page'], 'tiff');
    // Page 2's Compression tag (259) set to a scheme no decoder knows.
    let ifd = tiff.readUInt32LE(4);
    ifd = tiff.readUInt32LE(ifd + 2 + 12 * tiff.readUInt16LE(ifd));
    const entries = tiff.readUInt16LE(ifd);
    let patched = false;
    for (let e = 0; e < entries; e++) {
      const at = ifd + 2 + 12 * e;
      if (tiff.readUInt16LE(at) === 259) {
        tiff.writeUInt16LE(60000, at + 8);
        patched = true;
      }
    }
    assert.ok(patched, 'page 2 has a Compression tag');
    const r = await ocr(tiff, 'three.tiff');
    assert.equal(r.success, true);
    assert.deepEqual(r.failed_pages, [2]);
    assert.deepEqual(
      r.pages.map((p: { success: boolean }) => p.success),
      [true, false, true],
    );
    assert.match(r.pages[1].error, /Page 2/);
    assert.equal(norm(r.pages[0].text), 'firstpage');
    assert.equal(norm(r.pages[2].text), 'thirdpage');
  });

  it('recognizes only the first frame of an animated GIF', async () => {
    const r = await ocr(await multiPage(['Frame one', 'Frame two'], 'gif'), 'anim.gif');
    assert.equal(norm(r.text), 'frameone');
    assert.equal(r.pages.length, 1); // one frame read: one page (every result has pages[])
  });

  it('a PNG renamed .pdf is still an image', async () => {
    const r = await ocr(await textImage('Renamed'), 'document.pdf');
    assert.equal(norm(r.text), 'renamed');
  });

  it('a PDF renamed .jpg is refused with 415 and a pointer to /ocr/pdf', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]);
    const res = await submit(app, Buffer.from(await doc.save()), { filename: 'photo.jpg' });
    assert.equal(res.statusCode, 415);
    assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'error', 'filename', 'message']);
    assert.match(res.json().message, /PDF.*\/ocr\/pdf/);
    assert.equal(res.json().filename, 'photo.jpg');
  });

  it('text content is a 415', async () => {
    const res = await submit(app, Buffer.from('just some text'), { filename: 'a.png' });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().error, 'Unsupported Media Type');
  });

  it('a truncated PNG is a 422 at submission or a failed job, never a 500', async () => {
    const png = await textImage('Truncated');
    const res = await submit(app, png.subarray(0, 40), { filename: 't.png' });
    if (res.statusCode === 202) {
      assert.equal((await waitForResult(app, res.json().job_id)).statusCode, 422);
    } else {
      assert.equal(res.statusCode, 422, res.body);
    }
  });

  it('an image over MAX_IMAGE_WIDTH is a 422 naming the limit', async () => {
    const res = await submit(app, await textImage('wide', 'png', 1200), { filename: 'wide.png' });
    assert.equal(res.statusCode, 422);
    assert.match(res.json().message, /MAX_IMAGE_WIDTH/);
  });

  it('no file, empty file, wrong field, two files, not multipart: 400', async () => {
    const png = await textImage('x');
    const cases = [
      { parts: [{ field: 'note', data: 'hello' }], re: /No file uploaded/ },
      { parts: [{ field: 'file', filename: 'empty.png', data: Buffer.alloc(0) }], re: /empty/ },
      {
        parts: [{ field: 'image', filename: 'a.png', data: png }],
        re: /No file in field 'file' \(received field 'image'\)/,
      },
      {
        parts: [
          { field: 'file', filename: 'a.png', data: png },
          { field: 'file', filename: 'b.png', data: png },
        ],
        re: /one file/,
      },
    ];
    for (const c of cases) {
      const res = await submit(app, c.parts);
      assert.equal(res.statusCode, 400, `${c.re}: ${res.body}`);
      assert.equal(res.json().error, 'Bad Request');
      assert.match(res.json().message, c.re);
    }
    const json = await app.inject({ method: 'POST', url: '/ocr/image', payload: { file: 'x' } });
    assert.equal(json.statusCode, 400);
    assert.match(json.json().message, /multipart/);
    const none = await app.inject({ method: 'POST', url: '/ocr/image' });
    assert.equal(none.statusCode, 400);
  });

  it('a malformed multipart body is a 400', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/ocr/image',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
    });
    assert.equal(res.statusCode, 400, res.body);
  });

  it('the client file name is cleaned, never used as a path', async () => {
    const res = await submit(app, await textImage('x'), { filename: '../../etc/passwd.png' });
    assert.equal(res.statusCode, 202);
    assert.equal(res.json().filename, 'passwd.png');
  });

  it('responses carry a request id and security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/alive', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(res.headers['x-request-id'], 'abc-123');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const generated = await app.inject({ method: 'GET', url: '/health/alive' });
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });
});

describe('POST /ocr/image limits', () => {
  it('a request over MAX_CONTENT_LENGTH is a 413', async (t) => {
    const small = await build(t, { MAX_CONTENT_LENGTH: '2000' });
    const res = await submit(small, Buffer.alloc(5000, 1), { filename: 'big.png' });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error, 'Payload Too Large');
  });

  it(
    'a real corpus page is read (sanity of the decoded orientation and size)',
    { skip: withoutCorpus('dev/cvs-paper_p009.png') },
    async (t) => {
      const a = await build(t);
      const png = readFileSync(corpusPath('dev', 'cvs-paper_p009.png'));
      const res = await submit(a, png, { filename: 'p9.png' });
      assert.equal(res.statusCode, 202, res.body);
    },
  );
});
