// Image abuse (issue 10, items 6 and 7): a TIFF of thousands of pages is refused before any OCR,
// and BMP decoding (our plain-JS reader) does not run on the event loop.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { whiteBmp } from '../../fixtures/bmp.js';
import { build, submit, submitJob, waitForResult } from '../../helper.js';
import { manyPageTiff } from '../../hostile.js';

let app: FastifyInstance;

describe('image limits', () => {
  before(async () => {
    app = await build(null, { MAX_TIFF_PAGES: '100' });
  });
  after(() => app?.close());

  it('multi-page TIFF over MAX_TIFF_PAGES is a 422 naming the limit, before any OCR', async () => {
    const tiff = await manyPageTiff(150);
    const res = await submit(app, tiff, { filename: 'many.tiff' });
    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.json().message, /150 pages; the limit is 100 pages \(MAX_TIFF_PAGES\)/);
    assert.equal((await app.jobs.stats()).processing, 0);
    // The same file through /ocr/batch is refused alone.
    const batch = await submit(app, tiff, { url: '/ocr/batch', field: 'files', filename: 'many.tiff' });
    assert.equal(batch.statusCode, 202);
    assert.match(batch.json().jobs[0].message, /MAX_TIFF_PAGES/);
  });

  it('BMP decoding does not stall the event loop (4096x4096, 16-bit, 32 MB)', async () => {
    const file = whiteBmp(4096, 4096, 16);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const result = await waitForResult(app, await submitJob(app, file, { filename: 'big.bmp' }), 120_000);
    lag.disable();
    assert.equal(result.statusCode, 200, result.body);
    // Decoding this file takes over a second of JavaScript; on the event loop it was one stall.
    assert.ok(lag.max / 1e6 < 600, `event loop stalled ${Math.round(lag.max / 1e6)} ms`);
  });
});
