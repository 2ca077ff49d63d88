// Time limits follow the work (issue 10, items 5 and 10): REQUEST_TIMEOUT is the HTTP request's,
// a page over PAGE_TIMEOUT fails alone, JOB_TIMEOUT caps a job, and Retry-After on a full queue
// comes from the measured pages/s.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { PDFDocument, StandardFonts } from 'pdf-lib';

import { withoutCorpus } from '../../corpus.js';
import { build, norm, submit, submitJob, textImage, waitForResult } from '../../helper.js';
import { CORPUS_DEV, imagePdf } from '../../pdf/fixtures.js';

const PAGE_FILE = path.join(CORPUS_DEV, 'cvs-paper_p009.png');
const PAGE = existsSync(PAGE_FILE) ? readFileSync(PAGE_FILE) : Buffer.alloc(0);

/** Page 1: a full 300 dpi scanned page (seconds of OCR); page 2: one short line. */
async function slowThenFastPdf(): Promise<Buffer> {
  const doc = await PDFDocument.load(await imagePdf([PAGE]));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([300, 120]).drawText('SECOND PAGE', { x: 15, y: 52, size: 24, font });
  return Buffer.from(await doc.save());
}

describe('job time limits', { skip: withoutCorpus('dev/cvs-paper_p009.png') }, () => {
  it('REQUEST_TIMEOUT no longer limits a job: one running past it completes', async (t) => {
    const app = await build(t, { REQUEST_TIMEOUT: '1', HEADERS_TIMEOUT: '1' });
    const start = Date.now();
    const res = await waitForResult(app, await submitJob(app, PAGE, { filename: 'page.png' }), 120_000);
    assert.ok(Date.now() - start > 1000, 'the job was expected to take over a second');
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().lines.length > 10);
  });

  it('page over PAGE_TIMEOUT fails alone; the other pages complete', async (t) => {
    const app = await build(t, { PAGE_TIMEOUT: '1' });
    const res = await waitForResult(
      app,
      await submitJob(app, await slowThenFastPdf(), { url: '/ocr/pdf?dpi=300', filename: 'two.pdf' }),
      120_000,
    );
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body.failed_pages, [1]);
    assert.match(body.pages[0].error, /Page 1 took longer than PAGE_TIMEOUT \(1 s\)/);
    assert.equal(norm(body.pages[1].text), 'secondpage');
    // The OCR thread that was stopped has been replaced: the pool still works.
    const again = await waitForResult(
      app,
      await submitJob(app, await textImage('STILL WORKING'), { filename: 'a.png' }),
      60_000,
    );
    assert.equal(norm(again.json().text), 'stillworking');
  });

  it('job over JOB_TIMEOUT fails with a message naming it', async (t) => {
    const app = await build(t, { JOB_TIMEOUT: '1' });
    const res = await waitForResult(app, await submitJob(app, PAGE, { filename: 'page.png' }), 60_000);
    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.json().message, /JOB_TIMEOUT \(1 s\)/);
  });

  it('Retry-After on a full queue follows the measured pages/s of the work ahead', async (t) => {
    const app = await build(t, { QUEUE_MAX: '1', OCR_WORKERS: '1' });
    const pages = 8;
    const long = await submitJob(app, await imagePdf(Array.from({ length: pages }, () => PAGE)), {
      url: '/ocr/pdf?dpi=120',
      filename: 'long.pdf',
    });
    // Wait until a few pages were measured, then fill the queue.
    for (;;) {
      const s = (await app.inject({ method: 'GET', url: `/ocr/job/${long}` })).json();
      if (s.progress.pages_done >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // One OCR thread runs two jobs at once (the second decoded and waiting for the thread), then
    // QUEUE_MAX=1 waiting: the fourth is refused.
    await submitJob(app, await textImage('RUNNING NEXT'), { filename: 'r.png' });
    const waiting = await submitJob(app, await textImage('WAITING'), { filename: 'w.png' });
    assert.equal((await app.inject({ method: 'GET', url: `/ocr/job/${waiting}` })).json().status, 'queued');
    const full = await submit(app, await textImage('FULL'), { filename: 'x.png' });
    assert.equal(full.statusCode, 503, full.body);
    const retryAfter = Number(full.headers['retry-after']);
    const rejectedAt = Date.now();
    for (;;) {
      if ((await app.inject({ method: 'GET', url: `/ocr/job/${waiting}` })).json().status !== 'queued') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const actual = (Date.now() - rejectedAt) / 1000;
    await waitForResult(app, long, 240_000);
    // The waiting job starts when the running job closest to its end is done: Retry-After should be
    // about that, not a fixed guess. (Within a factor of 3: page times vary with the machine's load.)
    assert.ok(
      retryAfter >= actual / 3 && retryAfter <= actual * 3 + 3,
      `Retry-After ${retryAfter} s; the waiting job started after ${actual.toFixed(1)} s`,
    );
  });
});
