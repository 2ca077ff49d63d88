// `orientation` (OCR_ORIENTATION): a page scanned sideways or upside down is read upright, the
// result says `rotation`, and every output keeps the boxes on the picture as submitted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

import type { OcrLine } from '../../../src/native/engine.js';
import { renderPage, lines } from '../../layout/page.js';
import { FIXTURES } from '../../pdf/fixtures.js';
import { build, norm, submit, submitJob, waitForResult } from '../../helper.js';

const TEXT = [
  'Invoice 2024-117 for the delivery of',
  'twelve crates of apples and pears to',
  'the market hall on the fourth of May.',
  'Payment is due within thirty days.',
];
const dir = mkdtempSync(path.join(os.tmpdir(), 'ocr-orient-'));

describe('orientation: pages turned upright', () => {
  let app: FastifyInstance;
  let upright: Buffer;
  before(async () => {
    app = await build(null, { OCR_LANG: 'en' });
    upright = await renderPage(lines(TEXT, 60, 90, 30, 44), 640, 300);
  });
  after(() => app.close());

  /** Submits the page and returns its job id and finished result. */
  async function read(png: Buffer, query = '') {
    const id = await submitJob(app, png, { url: `/ocr/image${query}`, filename: 'p.png' });
    const r = await waitForResult(app, id);
    assert.equal(r.statusCode, 200, r.body);
    return {
      id,
      json: r.json() as { text: string; lines: OcrLine[]; rotation?: number; width: number; height: number },
    };
  }

  it('reads the page upright at 0, 90, 180 and 270 degrees; rotation says how it was turned', async () => {
    const base = await read(upright);
    assert.equal(base.json.rotation, undefined, 'an upright page has no rotation');
    // (norm: PP-OCRv6 tiny drops some line-final periods on this page; README, "Page orientation".)
    assert.deepEqual(
      base.json.lines.map((l) => norm(l.text)),
      TEXT.map(norm),
    );
    for (const angle of [90, 180, 270]) {
      const turned = await sharp(upright).rotate(angle).png().toBuffer();
      const { json } = await read(turned);
      assert.equal(json.rotation, 360 - angle, `scanned at ${angle}°`);
      assert.equal(json.text, base.json.text, `scanned at ${angle}°`);
      const [w, h] = angle === 180 ? [640, 300] : [300, 640];
      assert.deepEqual([json.width, json.height], [w, h]);
      for (const l of json.lines)
        for (const [x, y] of l.bbox) assert.ok(x >= -2 && y >= -2 && x <= w + 2 && y <= h + 2, `${l.text}: ${l.bbox}`);
    }
  });

  it('orientation=off reads the page as it is (and is not served the turned result from the cache)', async () => {
    const turned = await sharp(upright).rotate(180).png().toBuffer();
    const auto = await read(turned, '?orientation=auto');
    assert.equal(auto.json.rotation, 180);
    const off = await read(turned, '?orientation=off');
    assert.equal(off.json.rotation, undefined);
    assert.notEqual(off.json.text, auto.json.text);
  });

  it('rejects an unknown orientation with 400 and the error body', async () => {
    const res = await submit(app, upright, { url: '/ocr/image?orientation=sideways', filename: 'p.png' });
    assert.equal(res.statusCode, 400);
    const body = res.json();
    assert.equal(typeof body.error, 'string');
    assert.match(body.message, /orientation/);
  });

  it('hOCR gives the lines their textangle, ALTO the blocks their ROTATION (schema-valid)', async () => {
    const { id } = await read(await sharp(upright).rotate(90).png().toBuffer());
    const h = (await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=hocr` })).body;
    assert.equal(
      (h.match(/class="ocr_line" id="[^"]+" title="bbox \d+ \d+ \d+ \d+; textangle 270"/g) ?? []).length,
      TEXT.length,
    );
    const a = (await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=alto` })).body;
    assert.match(a, /<TextBlock [^>]*ROTATION="270"/);
    const file = path.join(dir, 'a.xml');
    writeFileSync(file, a);
    const v = spawnSync('xmllint', ['--noout', '--nonet', '--schema', path.join(FIXTURES, 'alto-4-subset.xsd'), file], {
      encoding: 'utf8',
    });
    assert.equal(v.status, 0, v.stderr);
  });

  it('the searchable PDF of a sideways page puts each word over its picture, running the way the text runs', async () => {
    const { id, json } = await read(await sharp(upright).rotate(90).png().toBuffer());
    const pdf = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=pdf` });
    assert.equal(pdf.statusCode, 200);
    const file = path.join(dir, 'turned.pdf');
    writeFileSync(file, pdf.rawPayload);
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).stdout;
    for (const line of json.lines)
      assert.ok(text.replace(/\s+/g, ' ').includes(line.text), `pdftotext has "${line.text}":\n${text}`);
    // Word boxes from poppler (points, 1 px = 1 pt here: no density in the PNG) lie on the words' ink.
    const html = spawnSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' }).stdout;
    const words = [
      ...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
    ].map((m) => ({
      box: m.slice(1, 5).map(Number),
      text: m[5],
    }));
    const ocrWords = json.lines.flatMap((l) => l.words ?? []);
    for (const w of ocrWords.filter((x) => x.text.length >= 5)) {
      const xs = w.bbox.map((p) => p[0]);
      const ys = w.bbox.map((p) => p[1]);
      const hit = words.find((p) => {
        const cx = (p.box[0] + p.box[2]) / 2,
          cy = (p.box[1] + p.box[3]) / 2;
        return (
          p.text === w.text &&
          cx >= Math.min(...xs) - 4 &&
          cx <= Math.max(...xs) + 4 &&
          cy >= Math.min(...ys) - 4 &&
          cy <= Math.max(...ys) + 4
        );
      });
      assert.ok(hit, `"${w.text}" not found over its box ${JSON.stringify(w.bbox)}`);
      // Vertical text: the PDF word is taller than it is wide, as the word on the picture.
      assert.ok(hit.box[3] - hit.box[1] > hit.box[2] - hit.box[0], `"${w.text}" runs down the page: ${hit.box}`);
    }
  });
});
