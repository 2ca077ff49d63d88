// Markdown and the block structure of every output, through the API, on a rendered page of known
// layout: a heading, two paragraphs (one hyphenated at a line end), a bulleted list, a code block.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { joinLines } from '../../src/output/markdown.js';
import { renderPage, lines } from '../layout/page.js';
import { FIXTURES } from '../pdf/fixtures.js';
import { build, submitJob, waitForResult } from '../helper.js';

const S = 30;
const L = 42;
const PAGE = [
  { text: 'Reading Order', x: 80, y: 110, size: 60 },
  // (With "stays together." PP-OCRv6 tiny dropped the line's final period: its box tilts 0.4° on
  // this page. This test is about structure; that misreading is noted in the README.)
  ...lines(
    [
      'The engine reads every line of the page and',
      'puts the lines in the order of a reader, so',
      'that the text of a column stays in one piece.',
    ],
    80,
    220,
    S,
    L,
  ),
  ...lines(
    [
      'Blocks are found from the gaps between lines',
      'and from the height of their letters, then',
      'typed from their shape and their posi-',
      'tion on the page.',
    ],
    80,
    410,
    S,
    L,
  ),
  ...lines(
    ['• headings are taller than the text', '• lists begin with a bullet', '• code is set in one pitch'],
    80,
    640,
    S,
    L,
  ),
  { text: 'for line in page:', x: 80, y: 820, size: S, font: 'Liberation Mono' },
  // Indented by four characters of the monospaced font (0.6 em each).
  { text: 'print(line)', x: 80 + 4 * 0.6 * S, y: 820 + L, size: S, font: 'Liberation Mono' },
];

const EXPECTED = `# Reading Order

The engine reads every line of the page and puts the lines in the order of a reader, so that the text of a column stays in one piece.

Blocks are found from the gaps between lines and from the height of their letters, then typed from their shape and their position on the page.

- headings are taller than the text
- lists begin with a bullet
- code is set in one pitch

\`\`\`
for line in page:
    print(line)
\`\`\`
`;

describe('Markdown and blocks in every output', () => {
  let app: FastifyInstance;
  let id: string;
  before(async () => {
    app = await build(null, { OCR_LANG: 'en' });
    const png = await renderPage(PAGE, 1000, 950);
    id = await submitJob(app, png, { filename: 'page.png' });
    assert.equal((await waitForResult(app, id)).statusCode, 200);
  });
  after(() => app.close());
  const get = (format: string) => app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=${format}` });

  it('format=md: heading, paragraphs joined (posi-/tion undone: a dictionary word), list, fenced code with its indentation', async () => {
    const r = await get('md');
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/markdown; charset=utf-8/);
    assert.equal(r.body, EXPECTED);
  });

  it('JSON: blocks typed heading, text, text, list, code, covering the lines in reading order', async () => {
    const j = (await get('json')).json();
    assert.deepEqual(
      j.blocks.map((b: { type: string }) => b.type),
      ['heading', 'text', 'text', 'list', 'code'],
    );
    assert.deepEqual(
      j.blocks.flatMap((b: { lines: number[] }) => b.lines),
      j.lines.map((_: unknown, i: number) => i),
    );
    for (const b of j.blocks) assert.equal(b.bbox.length, 4);
    assert.equal(j.text.split('\n\n').length, 5, 'text: a blank line between blocks');
  });

  it('txt: a blank line between blocks', async () => {
    const t = (await get('txt')).body;
    assert.deepEqual(
      t.split('\n\n').map((b) => b.split('\n').length),
      [1, 3, 4, 3, 2],
    );
  });

  it('hOCR: one ocr_carea/ocr_par per block; ALTO: one TextBlock per block, schema-valid', async () => {
    const h = (await get('hocr')).body;
    assert.equal((h.match(/class="ocr_carea"/g) ?? []).length, 5);
    assert.equal((h.match(/class="ocr_par"/g) ?? []).length, 5);
    const pars = h
      .split('class="ocr_par"')
      .slice(1)
      .map((p) => (p.match(/class="ocr_line"/g) ?? []).length);
    assert.deepEqual(pars, [1, 3, 4, 3, 2]);
    const a = (await get('alto')).body;
    const blocks = a
      .split('<TextBlock ')
      .slice(1)
      .map((b) => (b.match(/<TextLine /g) ?? []).length);
    assert.deepEqual(blocks, [1, 3, 4, 3, 2]);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ocr-md-')), 'a.xml');
    writeFileSync(file, a);
    const v = spawnSync('xmllint', ['--noout', '--nonet', '--schema', path.join(FIXTURES, 'alto-4-subset.xsd'), file], {
      encoding: 'utf8',
    });
    assert.equal(v.status, 0, v.stderr);
  });
});

describe('joinLines', () => {
  it('drops a line-end hyphen only when the joined word is in the dictionary', () => {
    assert.equal(joinLines(['their posi-', 'tion here'], 'en'), 'their position here');
    assert.equal(joinLines(['a well-', 'known way'], 'en'), 'a well-known way');
    assert.equal(
      joinLines(['their posi-', 'tion here'], 'und'),
      'their posi-tion here',
      'no language, no dictionary: kept',
    );
    assert.equal(joinLines(['one', 'two'], 'en'), 'one two');
  });
});
