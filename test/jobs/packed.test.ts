// Finished pages are held packed until a job's output is assembled: what comes out must be what
// went in, in page order, and a long document's pages must cost a fraction of their JSON.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { packPage, unpackPage, unpackPages } from '../../src/jobs/packed.js';
import type { PageText } from '../../src/jobs/types.js';
import type { OcrLine } from '../../src/native/engine.js';
import { corpusPath, withoutCorpus } from '../corpus.js';

const corpusDir = corpusPath('gt', 'dev2');
const skip = withoutCorpus('gt/dev2');

/** A result page shaped as the service makes it: the corpus page's lines with quads, words and confidences. */
function pageOf(file: string, n: number): PageText {
  const gt = JSON.parse(readFileSync(path.join(corpusDir, file), 'utf8')) as {
    lines: { text: string; bbox: number[] }[];
    width: number;
    height: number;
    lang: string;
  };
  const lines: OcrLine[] = gt.lines.map(({ text, bbox: [x0, y0, x1, y1] }, i) => {
    const parts = text.split(' ');
    const w = (x1 - x0) / parts.length;
    return {
      text,
      confidence: 0.9 + (i % 10) / 100,
      bbox: [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
      ],
      words: parts.map((t, j) => ({
        text: t,
        confidence: 0.8 + (j % 20) / 100,
        bbox: [
          [x0 + j * w, y0],
          [x0 + (j + 1) * w, y0],
          [x0 + (j + 1) * w, y1],
          [x0 + j * w, y1],
        ],
      })),
    } as OcrLine;
  });
  return {
    page: n,
    text: gt.lines.map((l) => l.text).join('\n'),
    lines,
    success: true,
    width: gt.width,
    height: gt.height,
    language: gt.lang,
    model_set: 'pp-ocrv6-tiny',
  };
}

const files = existsSync(corpusDir)
  ? readdirSync(corpusDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];
const pages = files.map((f, i) => pageOf(f, i + 1));

test('pages come back as they went in, accents and all, in page order', { skip }, async () => {
  const packed = await Promise.all(pages.map(packPage));
  assert.deepEqual(await unpackPages(packed), pages);
  assert.deepEqual(unpackPage(packed[1]), pages[1]);
  assert.ok(
    pages.some((p) => /[àâçéèêëîïôûùüÿœæłąęśźżóćńčřšžůßäöãõ]/i.test(p.text)),
    'the set has accented text',
  );
});

test(
  'a held page costs under a third of its JSON (a 500-page document holds every page until its end)',
  { skip },
  async () => {
    const json = pages.reduce((n, p) => n + Buffer.byteLength(JSON.stringify(p)), 0);
    const packed = (await Promise.all(pages.map(packPage))).reduce((n, b) => n + b.length, 0);
    assert.ok(packed < json / 3, `${packed} packed bytes for ${json} bytes of JSON`);
  },
);
