// The searchable PDF's text layer follows the reading order: copying a two-column page's text
// (the content stream order: pdftotext -raw) gives the left column, then the right one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { lines, renderPage } from '../layout/page.js';
import { build, norm, submitJob, waitForResult } from '../helper.js';

const LEFT = [
  'Left column opens here now',
  'with the second line of it',
  'and then a third line of it',
  'where the fourth line comes',
  'and the fifth line follows',
  'the left one ends',
];
const RIGHT = [
  'Right column starts now at',
  'its second line is here and',
  'the third line comes next to',
  'then a fourth line of words',
  'with the fifth line of them',
  'the right one ends',
];

describe('searchable PDF text layer in reading order', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await build(null, { OCR_LANG: 'en' });
  });
  after(() => app.close());

  it('a two-column page: the left column, then the right one', async () => {
    // Justified columns (set on one baseline grid, so rows pair up: the lines running up to the
    // gutter tell columns from a table's cells).
    const png = await renderPage(
      [...lines(LEFT, 60, 120, 28, 44, undefined, 320), ...lines(RIGHT, 480, 120, 28, 44, undefined, 320)],
      1000,
      450,
    );
    const id = await submitJob(app, png, { filename: 'cols.png' });
    const json = (await waitForResult(app, id)).json();
    const want = [...LEFT, ...RIGHT].map(norm).join('');
    // (The detector may cut a justified line at a wide space: compare the text, not the lines.)
    assert.equal(json.lines.map((l: { text: string }) => norm(l.text)).join(''), want, 'JSON lines: column by column');
    const pdf = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=pdf` });
    assert.equal(pdf.statusCode, 200);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ocr-pdf-order-')), 'cols.pdf');
    writeFileSync(file, pdf.rawPayload);
    const raw = spawnSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    assert.equal(raw.status, 0, raw.stderr);
    assert.equal(norm(raw.stdout), want);
  });
});
