// PDF limits and rendering without the API: page ranges, the pixel budget, encrypted/corrupt files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parsePageRanges } from '../../src/pdf/ranges.js';
import { probePdf } from '../../src/pdf/probe.js';
import { fittingDpi, openPdf, pagePixels, renderPages } from '../../src/pdf/render.js';
import { fixture, textPdf } from './fixtures.js';

describe('parsePageRanges', () => {
  it('reads pages and ranges, merges duplicates, sorts', () => {
    assert.deepEqual(parsePageRanges('1-3,7', 10), [1, 2, 3, 7]);
    assert.deepEqual(parsePageRanges(' 7 , 2-3,3 ,1-2', 10), [1, 2, 3, 7]);
    assert.deepEqual(parsePageRanges('10', 10), [10]);
    assert.deepEqual(parsePageRanges('4-4', 4), [4]);
  });

  it('malformed or out-of-range specs are 400s that say why', () => {
    for (const [spec, re] of [
      ['', /Malformed/],
      ['a', /"a" is not a page number/],
      ['1,,2', /Malformed/],
      ['1-', /"1-"/],
      ['3-1', /"3-1" is not a range/],
      ['0', /"0"/],
      ['-2', /"-2"/],
      ['1.5', /"1.5"/],
      ['11', /"11" is out of range: the PDF has 10 pages/],
      ['9-12', /out of range/],
    ] as const) {
      assert.throws(
        () => parsePageRanges(spec, 10),
        (err: { code: string; statusCode: number; message: string }) =>
          err.code === 'bad_request' && err.statusCode === 400 && re.test(err.message),
        spec,
      );
    }
  });
});

describe('pixel budget', () => {
  it('keeps the requested dpi when it fits, else the highest whole dpi that fits', () => {
    assert.equal(fittingDpi(612, 792, 300, 40_000_000), 300);
    const d = fittingDpi(612, 792, 300, 4_000_000);
    const at = (x: number) => pagePixels(612, 792, x);
    assert.ok(at(d).width * at(d).height <= 4_000_000);
    assert.ok(at(d + 1).width * at(d + 1).height > 4_000_000);
    assert.equal(fittingDpi(14400, 14400, 300, 100), 0);
  });

  it('a page over the budget renders at a lower dpi and says so', async () => {
    const doc = await openPdf(await textPdf(['Budget']));
    try {
      const full = await doc.renderPage(0, 150);
      assert.deepEqual([full.width, full.height, full.dpi], [625, 250, 150]);
      const small = await doc.renderPage(0, 150, 60_000);
      assert.ok(small.dpi < 150 && small.dpi > 80, String(small.dpi));
      assert.ok(small.width * small.height <= 60_000);
      assert.equal(small.data.length, small.width * small.height);
    } finally {
      doc.close();
    }
  });
});

describe('probePdf', () => {
  it('counts pages without rendering; over MAX_PDF_PAGES names the limit', async () => {
    const pdf = await textPdf(Array.from({ length: 101 }, () => ''));
    assert.deepEqual(await probePdf(pdf, { maxPages: 101 }), { pageCount: 101 });
    await assert.rejects(probePdf(pdf, { maxPages: 100 }), {
      code: 'too_many_pages',
      message: /101 pages; the limit is 100 pages \(MAX_PDF_PAGES\)/,
    });
  });

  it('encrypted PDFs, with or without a user password, are refused as encrypted', async () => {
    for (const name of ['encrypted-user-password.pdf', 'encrypted-owner-only.pdf']) {
      await assert.rejects(
        probePdf(fixture(name), { maxPages: 100 }),
        { code: 'undecodable', message: /encrypted/ },
        name,
      );
    }
  });

  it('corrupt, truncated and zero-byte PDFs are undecodable', async () => {
    const good = await textPdf(['Truncate me']);
    for (const bytes of [
      Buffer.from('%PDF-1.7\n%garbage\n1 0 obj <<'),
      good.subarray(0, good.length >> 1),
      Buffer.alloc(0),
    ]) {
      await assert.rejects(probePdf(bytes, { maxPages: 100 }), { code: 'undecodable', message: /PDF/ });
    }
  });
});

describe('renderPages', () => {
  it('renders only the listed pages, one at a time, with their original numbers', async () => {
    const pdf = await textPdf(['One', { text: 'Two', size: [200, 100] }, 'Three']);
    const seen = [];
    for await (const p of renderPages(pdf, 72, [1, 2])) seen.push([p.page, p.width, p.height, p.dpi]);
    assert.deepEqual(seen, [
      [2, 200, 100, 72],
      [3, 300, 120, 72],
    ]);
  });
});
