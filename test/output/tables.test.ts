// Tables through the API on a rendered page of known content: a heading, paragraphs, a list, code,
// a ruled table and an unruled one. md, html and csv must come out exactly as written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

import { FIXTURES } from '../pdf/fixtures.js';
import { build, submitJob, waitForResult } from '../helper.js';

const S = 30;
const L = 42;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (s: string, x: number, y: number, size = S, font = 'Liberation Sans', weight = 'normal') =>
  `<text x="${x}" y="${y}" font-family="${font}" font-size="${size}" font-weight="${weight}" fill="#000" xml:space="preserve">${esc(s)}</text>`;
const rule = (x0: number, y0: number, x1: number, y1: number) =>
  `<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y1}" stroke="#000" stroke-width="2"/>`;

// The ruled table: three columns, a rule around every cell.
const RULED = [
  ['Name', 'Size', 'Colour'],
  ['apple', '12', 'red'],
  ['lemon', '30', 'yellow'],
];
// The unruled one: two columns a wide gap apart, four rows.
const UNRULED = [
  ['Monday', 'open'],
  ['Tuesday', 'closed'],
  ['Friday', 'open late'],
  ['Sunday', 'closed'],
];

function pageSvg(): string {
  const parts: string[] = [];
  parts.push(text('Fruit Report', 80, 110, 60, 'Liberation Serif'));
  parts.push(text('The shop sells fruit from three farms and keeps', 80, 200, S, 'Liberation Serif'));
  // (No final period: PP-OCRv6 tiny drops one at a line end on some boxes; see markdown.test.ts.)
  parts.push(text('a count of each kind every week', 80, 200 + L, S, 'Liberation Serif'));
  parts.push(text('• apples come in the autumn', 80, 320, S, 'Liberation Serif'));
  parts.push(text('• lemons come all year', 80, 320 + L, S, 'Liberation Serif'));
  parts.push(text('total = apples + lemons', 80, 460, S, 'Liberation Mono'));
  parts.push(text('print(total)', 80, 460 + L, S, 'Liberation Mono'));
  // Ruled table at y 560..740, columns at x 80 | 330 | 580 | 830, rows 60 high.
  const xs = [80, 330, 580, 830];
  const y0 = 560;
  for (let r = 0; r <= RULED.length; r++) parts.push(rule(xs[0], y0 + 60 * r, xs[3], y0 + 60 * r));
  for (const x of xs) parts.push(rule(x, y0, x, y0 + 60 * RULED.length));
  RULED.forEach((row, r) => row.forEach((cell, c) => parts.push(text(cell, xs[c] + 16, y0 + 60 * r + 41))));
  parts.push(text('Opening hours of the shop are below.', 80, 850, S, 'Liberation Serif'));
  UNRULED.forEach(([a, b], r) => {
    parts.push(text(a, 80, 930 + 50 * r, S, 'Liberation Serif'));
    parts.push(text(b, 420, 930 + 50 * r, S, 'Liberation Serif'));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1200"><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`;
}

const MD = `# Fruit Report

The shop sells fruit from three farms and keeps a count of each kind every week

- apples come in the autumn
- lemons come all year

\`\`\`
total = apples + lemons
print(total)
\`\`\`

| Name | Size | Colour |
| --- | --- | --- |
| apple | 12 | red |
| lemon | 30 | yellow |

Opening hours of the shop are below.

| Monday | open |
| --- | --- |
| Tuesday | closed |
| Friday | open late |
| Sunday | closed |
`;

const HTML_BODY = `<h1>Fruit Report</h1>
<p>The shop sells fruit from three farms and keeps a count of each kind every week</p>
<ul>
<li>apples come in the autumn</li>
<li>lemons come all year</li>
</ul>
<pre><code>total = apples + lemons
print(total)</code></pre>
<table><tbody><tr><td>Name</td><td>Size</td><td>Colour</td></tr><tr><td>apple</td><td>12</td><td>red</td></tr><tr><td>lemon</td><td>30</td><td>yellow</td></tr></tbody></table>
<p>Opening hours of the shop are below.</p>
<table><tbody><tr><td>Monday</td><td>open</td></tr><tr><td>Tuesday</td><td>closed</td></tr><tr><td>Friday</td><td>open late</td></tr><tr><td>Sunday</td><td>closed</td></tr></tbody></table>`;

describe('tables in md, html, csv and json', () => {
  let app: FastifyInstance;
  let id: string;
  before(async () => {
    app = await build(null, { OCR_LANG: 'en' });
    const png = await sharp(Buffer.from(pageSvg())).removeAlpha().png().toBuffer();
    id = await submitJob(app, png, { filename: 'tables.png' });
    assert.equal((await waitForResult(app, id)).statusCode, 200);
  });
  after(() => app.close());
  const get = (q: string) => app.inject({ method: 'GET', url: `/ocr/job/${id}/result?${q}` });

  it('json: two tables as cells, each pointed at by one table block, boxes in the image frame', async () => {
    const j = (await get('format=json')).json();
    assert.equal(j.tables.length, 2);
    assert.deepEqual([j.tables[0].rows, j.tables[0].cols, j.tables[1].rows, j.tables[1].cols], [3, 3, 4, 2]);
    const [x0, y0, x1, y1] = j.tables[0].bbox;
    assert.ok(
      Math.abs(x0 - 80) <= 3 && Math.abs(y0 - 560) <= 3 && Math.abs(x1 - 830) <= 3 && Math.abs(y1 - 740) <= 3,
      `ruled table box ${j.tables[0].bbox}`,
    );
    const tableBlocks = j.blocks.filter((b: { type: string }) => b.type === 'table');
    assert.deepEqual(
      tableBlocks.map((b: { table: number }) => b.table),
      [0, 1],
    );
    assert.deepEqual(
      j.tables[0].cells.map((c: { text: string }) => c.text),
      RULED.flat(),
    );
  });

  it('format=md: the page exactly, tables as pipe tables', async () => {
    const r = await get('format=md');
    assert.equal(r.statusCode, 200);
    assert.equal(r.body, MD);
  });

  it('format=html: headings, paragraphs, list, pre, tables', async () => {
    const r = await get('format=html');
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/html; charset=utf-8/);
    const body = /<body>\n([\s\S]*)\n<\/body>/.exec(r.body)?.[1];
    assert.equal(body, HTML_BODY);
  });

  it('hOCR: each table an ocr_table; ALTO: a ComposedBlock TYPE="table" around each table, schema-valid', async () => {
    const h = (await get('format=hocr')).body;
    assert.equal((h.match(/class="ocr_table"/g) ?? []).length, 2);
    const a = (await get('format=alto')).body;
    const composed = a.split('<ComposedBlock ').slice(1);
    assert.equal(composed.length, 2);
    assert.ok(composed.every((c) => c.includes('TYPE="table"')));
    assert.equal((composed[0].split('</ComposedBlock>')[0].match(/<TextLine /g) ?? []).length >= 3, true);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ocr-tables-')), 'a.xml');
    writeFileSync(file, a);
    const v = spawnSync('xmllint', ['--noout', '--nonet', '--schema', path.join(FIXTURES, 'alto-4-subset.xsd'), file], {
      encoding: 'utf8',
    });
    assert.equal(v.status, 0, v.stderr);
  });

  it('format=csv: a table equals its cells; a missing table is a 404', async () => {
    const r = await get('format=csv&table=0');
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/csv/);
    assert.equal(r.body, RULED.map((row) => `${row.join(',')}\r\n`).join(''));
    assert.equal((await get('format=csv&table=1:1')).body, UNRULED.map((row) => `${row.join(',')}\r\n`).join(''));
    const missing = await get('format=csv&table=7');
    assert.equal(missing.statusCode, 404);
    assert.equal(typeof missing.json().message, 'string');
    assert.equal((await get('format=csv&table=x')).statusCode, 400);
  });
});
