// Hostile PDFs (issue 10, items 2 and 3): a FlateDecode bomb fails alone and does not poison later
// PDFs; the searchable PDF is built off the event loop, bounded, and a document pdf-lib cannot
// handle is a 422. The bombs are built by the test (a few KB each).
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { build, norm, submitJob, waitForResult } from '../../helper.js';
import { flateBombPdf, loopingPagesPdf, objStreamBombPdf } from '../../hostile.js';
import { textPdf } from '../../pdf/fixtures.js';

let app: FastifyInstance;

describe('hostile PDFs', () => {
  before(async () => {
    app = await build(null, { PDF_RENDER_MEMORY_MB: '256' });
  });
  after(() => app?.close());

  it('PDF FlateDecode bomb fails alone with a 422 and does not poison later PDFs', async () => {
    const bomb = flateBombPdf();
    assert.ok(bomb.length < 8192, `bomb is ${bomb.length} bytes`);
    const rssBefore = process.memoryUsage().rss;
    const start = Date.now();
    const res = await waitForResult(
      app,
      await submitJob(app, bomb, { url: '/ocr/pdf?dpi=150', filename: 'bomb.pdf' }),
      120_000,
    );
    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.json().message, /PDF_RENDER_MEMORY_MB|could not be rendered/);
    assert.ok(Date.now() - start < 60_000, `bomb took ${Date.now() - start} ms`);
    // The next PDFs, right away (the old render thread stayed poisoned for a minute): a US-letter
    // page at 300 dpi needs a 2550 x 3300 bitmap, which the old heap could no longer give.
    for (const [word, dpi] of [
      ['AFTER', 300],
      ['AGAIN', 150],
    ] as const) {
      const doc = await textPdf([{ text: `${word} THE BOMB`, size: [612, 792] }]);
      const ok = await waitForResult(
        app,
        await submitJob(app, doc, { url: `/ocr/pdf?dpi=${dpi}`, filename: `${word}.pdf` }),
        120_000,
      );
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().failed_pages.length, 0, ok.body);
      assert.match(norm(ok.json().full_text), new RegExp(`${word.toLowerCase()}thebomb`));
    }
    // The bomb's PDFium heap went with its thread: the process does not keep gigabytes.
    const kept = process.memoryUsage().rss - rssBefore;
    assert.ok(kept < 700 * 2 ** 20, `RSS is ${Math.round(kept / 2 ** 20)} MB above its level before the bomb`);
  });

  it('searchable PDF of a looping /Pages tree is a 422, not a 500', async () => {
    const id = await submitJob(app, loopingPagesPdf(), { url: '/ocr/pdf?dpi=150', filename: 'loop.pdf' });
    const res = await waitForResult(app, id, 60_000);
    if (res.statusCode !== 200) return assert.equal(res.statusCode, 422, res.body); // PDFium refused it: also clear
    const pdf = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=pdf` });
    assert.equal(pdf.statusCode, 422, pdf.body);
    assert.deepEqual(Object.keys(pdf.json()).sort(), ['code', 'error', 'message']);
    assert.equal(pdf.json().code, 'undecodable');
    assert.match(pdf.json().message, /searchable PDF could not be built/);
  });

  it('searchable PDF of an object-stream bomb is built off the event loop, bounded in time and memory', async () => {
    const bomb = objStreamBombPdf();
    assert.ok(bomb.length < 8192);
    const id = await submitJob(app, bomb, { url: '/ocr/pdf?dpi=150', filename: 'objstm.pdf' });
    assert.equal((await waitForResult(app, id, 60_000)).statusCode, 200);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const rss = process.memoryUsage().rss;
    const start = Date.now();
    const pdf = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=pdf` });
    const ms = Date.now() - start;
    lag.disable();
    assert.ok([200, 422].includes(pdf.statusCode), pdf.body);
    assert.ok(ms < 30_000, `format=pdf took ${ms} ms`);
    assert.ok(lag.max / 1e6 < 1000, `event loop stalled ${Math.round(lag.max / 1e6)} ms`);
    assert.ok(process.memoryUsage().rss - rss < 1.5 * 2 ** 30, 'RSS grew more than 1.5 GB');
    if (pdf.statusCode === 200) assert.equal(pdf.headers['content-type'], 'application/pdf');
  });
});
