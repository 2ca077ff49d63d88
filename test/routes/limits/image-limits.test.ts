// Image abuse (issue 10, items 6 and 7): a TIFF of thousands of pages is refused before any OCR,
// and BMP decoding (our plain-JS reader) does not run on the event loop.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { build, multipart, waitForResult } from '../../helper.js';
import { manyPageTiff } from '../../hostile.js';

let app: FastifyInstance;

/** An uncompressed 16-bit (5-5-5) BMP, all white: the slowest path of the BMP reader. */
function bmp16(width: number, height: number): Buffer {
  const row = Math.ceil((width * 2) / 4) * 4;
  const b = Buffer.alloc(54 + row * height, 0xff);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(16, 28);
  b.writeUInt32LE(0, 30);
  b.writeUInt32LE(row * height, 34);
  b.writeUInt32LE(0, 46);
  return b;
}

describe('image limits', () => {
  before(async () => {
    app = await build(null, { MAX_TIFF_PAGES: '100' });
  });
  after(() => app?.close());

  it('multi-page TIFF over MAX_TIFF_PAGES is a 422 naming the limit, before any OCR', async () => {
    const tiff = await manyPageTiff(150);
    const res = await app.inject({
      method: 'POST',
      url: '/ocr/image',
      ...(await multipart([{ field: 'file', filename: 'many.tiff', data: tiff }])),
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.json().message, /150 pages; the limit is 100 pages \(MAX_TIFF_PAGES\)/);
    assert.equal((await app.jobs.stats()).processing, 0);
    // The same file through /ocr/batch is refused alone.
    const batch = await app.inject({
      method: 'POST',
      url: '/ocr/batch',
      ...(await multipart([{ field: 'files', filename: 'many.tiff', data: tiff }])),
    });
    assert.equal(batch.statusCode, 202);
    assert.match(batch.json().jobs[0].message, /MAX_TIFF_PAGES/);
  });

  it('BMP decoding does not stall the event loop (4096x4096, 16-bit, 32 MB)', async () => {
    const file = bmp16(4096, 4096);
    const body = await multipart([{ field: 'file', filename: 'big.bmp', data: file }]);
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const res = await app.inject({ method: 'POST', url: '/ocr/image', ...body });
    assert.equal(res.statusCode, 202, res.body);
    const result = await waitForResult(app, res.json().job_id, 120_000);
    lag.disable();
    assert.equal(result.statusCode, 200, result.body);
    // Decoding this file takes over a second of JavaScript; on the event loop it was one stall.
    assert.ok(lag.max / 1e6 < 600, `event loop stalled ${Math.round(lag.max / 1e6)} ms`);
  });
});
