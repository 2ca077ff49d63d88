import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

import type { JobOutput } from '../../src/jobs/types.js';
import { alto } from '../../src/output/alto.js';
import { hocr } from '../../src/output/hocr.js';
import { FIXTURES, textPdf } from '../pdf/fixtures.js';
import { build, multiPage, submitJob, textImage, waitForResult } from '../helper.js';

const XSD = path.join(FIXTURES, 'alto-4-subset.xsd');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ocr-alto-'));
type Point = [number, number];
type Box = [number, number, number, number];

/** The box the formats must carry for four corners: min/max, rounded outwards. */
const expectedBox = (corners: Point[]): Box => [
  Math.max(0, Math.floor(Math.min(...corners.map((p) => p[0])))),
  Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1])))),
  Math.ceil(Math.max(...corners.map((p) => p[0]))),
  Math.ceil(Math.max(...corners.map((p) => p[1]))),
];

function xmllint(xml: string, schema?: string): { status: number | null; stderr: string } {
  const file = path.join(tmp, `doc-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--nonet', ...(schema ? ['--schema', schema] : []), file], {
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => unescape(new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1] ?? '');

interface ParsedPage {
  bbox: Box;
  scanRes?: number;
  lines: { bbox: Box; words: { text: string; bbox: Box; conf: number }[] }[];
}

/** hOCR back to pages, lines and words (the document is checked well-formed by xmllint first). */
function parseHocr(doc: string): ParsedPage[] {
  const nums = (title: string, key: string) =>
    new RegExp(`${key} ([\\d ]+)`).exec(title)![1].trim().split(' ').map(Number);
  return doc
    .split('<div class="ocr_page"')
    .slice(1)
    .map((chunk) => {
      const title = /title='([^']*)'/.exec(chunk)![1];
      const res = /scan_res (\d+)/.exec(title);
      const lines = [...chunk.matchAll(/<span class="ocr_line"[^>]*title="([^"]*)">(.*?)<\/span>(?=\n)/g)].map((m) => ({
        bbox: nums(m[1], 'bbox') as Box,
        words: [...m[2].matchAll(/<span class="ocrx_word"[^>]*title="([^"]*)">([^<]*)<\/span>/g)].map((w) => ({
          text: unescape(w[2]),
          bbox: nums(w[1], 'bbox') as Box,
          conf: nums(w[1], 'x_wconf')[0],
        })),
      }));
      return { bbox: nums(title, 'bbox') as Box, scanRes: res ? Number(res[1]) : undefined, lines };
    });
}

/** ALTO back to pages, lines and strings. */
function parseAlto(doc: string) {
  const box = (tag: string): Box => {
    const [x, y, w, h] = ['HPOS', 'VPOS', 'WIDTH', 'HEIGHT'].map((k) => Number(attr(tag, k)));
    return [x, y, x + w, y + h];
  };
  return doc
    .split('<Page ')
    .slice(1)
    .map((chunk) => ({
      width: Number(attr(chunk, 'WIDTH')),
      height: Number(attr(chunk, 'HEIGHT')),
      lines: [...chunk.matchAll(/<TextLine ([^>]*)>([\s\S]*?)<\/TextLine>/g)].map((m) => ({
        bbox: box(m[1]),
        words: [...m[2].matchAll(/<String ([^>]*)\/>/g)].map((s) => ({
          text: attr(s[1], 'CONTENT'),
          bbox: box(s[1]),
          wc: Number(attr(s[1], 'WC')),
        })),
        spaces: (m[2].match(/<SP /g) ?? []).length,
      })),
    }));
}

interface JsonPage {
  page: number;
  width: number;
  height: number;
  dpi?: number;
  lines: {
    text: string;
    confidence: number;
    bbox: Point[];
    words?: { text: string; confidence: number; bbox: Point[] }[];
  }[];
}

/** The words a line must carry in hOCR and ALTO: the engine's words, else the line as one word. */
const wordsOf = (l: JsonPage['lines'][number]) => l.words ?? [{ text: l.text, confidence: l.confidence, bbox: l.bbox }];

/** hOCR and ALTO of one job agree with its JSON: pages, sizes, lines, words and boxes. */
function assertSame(json: JsonPage[], hocrDoc: string, altoDoc: string) {
  assert.equal(xmllint(hocrDoc).status, 0, 'hOCR is well-formed XHTML');
  const v = xmllint(altoDoc, XSD);
  assert.equal(v.status, 0, `ALTO is schema-valid: ${v.stderr}`);
  const h = parseHocr(hocrDoc);
  const a = parseAlto(altoDoc);
  assert.equal(h.length, json.length);
  assert.equal(a.length, json.length);
  json.forEach((p, i) => {
    assert.deepEqual(h[i].bbox, [0, 0, p.width, p.height]);
    assert.equal(h[i].scanRes, p.dpi);
    assert.deepEqual([a[i].width, a[i].height], [p.width, p.height]);
    assert.ok(p.lines.length > 0);
    assert.deepEqual(
      h[i].lines.map((l) => l.words.map((w) => w.text).join(' ')),
      p.lines.map((l) => l.text),
      'hOCR words = JSON words',
    );
    assert.deepEqual(
      a[i].lines.map((l) => l.words.map((w) => w.text).join(' ')),
      p.lines.map((l) => l.text),
      'ALTO words = JSON words',
    );
    assert.deepEqual(
      h[i].lines.map((l) => l.bbox),
      p.lines.map((l) => expectedBox(l.bbox)),
      'hOCR boxes = JSON boxes',
    );
    assert.deepEqual(
      a[i].lines.map((l) => l.bbox),
      p.lines.map((l) => expectedBox(l.bbox)),
      'ALTO boxes = JSON boxes',
    );
    assert.deepEqual(
      h[i].lines.map((l) => l.words.map((w) => w.text)),
      p.lines.map((l) => wordsOf(l).map((w) => w.text)),
      'hOCR words = JSON words',
    );
    assert.deepEqual(
      h[i].lines.map((l) => l.words.map((w) => w.bbox)),
      p.lines.map((l) => wordsOf(l).map((w) => expectedBox(w.bbox))),
      'hOCR word boxes',
    );
    assert.deepEqual(
      a[i].lines.map((l) => l.words.map((w) => w.bbox)),
      p.lines.map((l) => wordsOf(l).map((w) => expectedBox(w.bbox))),
      'ALTO word boxes',
    );
    assert.deepEqual(
      h[i].lines.map((l) => l.words.map((w) => w.conf)),
      p.lines.map((l) => wordsOf(l).map((w) => Math.round(w.confidence * 100))),
    );
    for (const [j, l] of a[i].lines.entries()) {
      wordsOf(p.lines[j]).forEach((w, k) => assert.ok(Math.abs(l.words[k].wc - w.confidence) < 0.001));
    }
  });
}

describe('hOCR and ALTO results', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await build(null);
  });
  after(() => app.close());

  async function job(url: string, data: Buffer, filename: string) {
    const id = await submitJob(app, data, { url, filename });
    const result = await waitForResult(app, id);
    assert.equal(result.statusCode, 200, result.body);
    const get = async (format: string) => {
      const r = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result?format=${format}` });
      assert.equal(r.statusCode, 200, r.body);
      return r;
    };
    const h = await get('hocr');
    const a = await get('alto');
    assert.match(String(h.headers['content-type']), /^text\/html; charset=utf-8/);
    assert.match(String(a.headers['content-type']), /^application\/xml; charset=utf-8/);
    return { json: result.json(), hocr: h.body, alto: a.body };
  }

  it("an image: one page, the engine's words with their boxes in image pixels, the image density as dpi", async () => {
    const png = await sharp(await textImage(['Schema valid output', 'Second line &amp; more'], 'png', 520))
      .withMetadata({ density: 200 })
      .png()
      .toBuffer();
    const r = await job('/ocr/image', png, 'two lines.png');
    assert.ok(r.json.width > 0 && r.json.height > 0, 'single-image results carry their pixel size');
    assertSame(
      [{ page: 1, width: r.json.width, height: r.json.height, dpi: 200, lines: r.json.lines }],
      r.hocr,
      r.alto,
    );
    assert.match(r.alto, /page 1: 200 dpi/);
    assert.match(r.alto, /<fileName>two lines\.png<\/fileName>/);
  });

  it('a PDF: one Page per page, coordinates at the page dpi, the dpi recorded', async () => {
    const r = await job('/ocr/pdf?dpi=150', await textPdf(['First page words', 'Second page words']), 'doc.pdf');
    assert.equal(r.json.pages.length, 2);
    assertSame(r.json.pages, r.hocr, r.alto);
    assert.match(r.alto, /page 1: 150 dpi/);
  });

  it('a multi-page TIFF: one page per TIFF page', async () => {
    const tiff = await multiPage(['Tiff page one', 'Tiff page two'], 'tiff');
    const r = await job('/ocr/image', tiff, 'scan.tiff');
    assert.equal(r.json.pages.length, 2);
    const { density } = await sharp(tiff).metadata();
    assertSame(
      r.json.pages.map((p: JsonPage) => ({ ...p, dpi: density && Math.round(density) })),
      r.hocr,
      r.alto,
    );
  });

  it('the schema check can fail: a String without CONTENT or with WC over 1 is refused', async () => {
    const r = await job('/ocr/image', await textImage('Broken on purpose'), 'b.png');
    assert.notEqual(xmllint(r.alto.replace(/ CONTENT="[^"]*"/, ''), XSD).status, 0);
    assert.notEqual(xmllint(r.alto.replace(/ WC="[^"]*"/, ' WC="1.5"'), XSD).status, 0);
    assert.notEqual(xmllint(r.alto.replace('<MeasurementUnit>pixel', '<MeasurementUnit>px'), XSD).status, 0);
  });
});

describe('word boxes (line.words from the engine)', () => {
  const w = (text: string, x0: number, x1: number, confidence = 0.9) => ({
    text,
    confidence,
    bbox: [
      [x0, 10],
      [x1, 10],
      [x1, 30],
      [x0, 30],
    ] as Point[],
  });
  const output = {
    kind: 'image',
    text: 'two words',
    success: true,
    width: 200,
    height: 50,
    lines: [
      {
        text: 'two words',
        confidence: 0.95,
        bbox: [
          [5.2, 9.6],
          [150.4, 9.6],
          [150.4, 30.2],
          [5.2, 30.2],
        ],
        words: [w('two', 5.2, 60.7, 0.97), w('words', 70, 150.4, 0.93)],
      },
    ],
  } as unknown as JobOutput;

  it('writes one ocrx_word / String per word with its own box, SP between them', () => {
    const h = parseHocr(hocr(output, 'w.png', 300));
    assert.deepEqual(h[0].lines[0].words, [
      { text: 'two', bbox: [5, 10, 61, 30], conf: 97 },
      { text: 'words', bbox: [70, 10, 151, 30], conf: 93 },
    ]);
    assert.equal(h[0].scanRes, 300);
    const doc = alto(output, 'w.png', 300);
    assert.equal(xmllint(doc, XSD).status, 0);
    const a = parseAlto(doc);
    assert.deepEqual(
      a[0].lines[0].words.map((x) => [x.text, x.bbox]),
      [
        ['two', [5, 10, 61, 30]],
        ['words', [70, 10, 151, 30]],
      ],
    );
    assert.equal(a[0].lines[0].spaces, 1);
    assert.match(doc, /<SP WIDTH="9" HPOS="61" VPOS="10"\/>/);
  });
});

describe('the page language in hOCR and ALTO', () => {
  const output = {
    kind: 'image',
    text: 'Привет мир',
    success: true,
    width: 200,
    height: 50,
    language: 'ru',
    model_set: 'pp-ocrv5-cyrillic',
    lines: [
      {
        text: 'Привет мир',
        confidence: 0.95,
        bbox: [
          [5, 10],
          [150, 10],
          [150, 30],
          [5, 30],
        ],
      },
    ],
  } as unknown as JobOutput;

  it('hOCR ocr_page says lang="ru", ALTO TextBlock LANG="ru" (schema-valid); und says nothing', () => {
    assert.match(hocr(output, 'r.png'), /<div class="ocr_page" id="page_1" lang="ru" /);
    const doc = alto(output, 'r.png');
    assert.match(doc, /<TextBlock ID="P1_B1" [^>]* LANG="ru">/);
    assert.equal(xmllint(doc, XSD).status, 0);
    const und = { ...output, language: 'und' } as unknown as JobOutput;
    assert.doesNotMatch(hocr(und, 'r.png'), / lang="und"/);
    assert.doesNotMatch(alto(und, 'r.png'), /LANG=/);
  });
});
