// The detector's strips and the recognizer's width-bounded batches exist to bound memory; they
// must not change what a page reads. Compared on a real 300 dpi corpus page against one pass.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';

import { createEngine, type Engine, type OcrLine, type RawImage } from '../../src/native/engine.js';
import { CORPUS, withoutCorpus } from '../corpus.js';

const PAGE = path.join(CORPUS, 'dev', 'cvs-paper_p002.png');

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Character error rate of the page text `got` against `want` (lines in reading order). */
const pageCer = (want: OcrLine[], got: OcrLine[]) => {
  const w = want.map((l) => l.text).join('\n');
  return editDistance(w, got.map((l) => l.text).join('\n')) / w.length;
};

function iou(a: OcrLine, b: OcrLine): number {
  const box = (l: OcrLine) => {
    const xs = l.bbox.map((p) => p[0]);
    const ys = l.bbox.map((p) => p[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  };
  const [a0, a1, a2, a3] = box(a);
  const [b0, b1, b2, b3] = box(b);
  const inter = Math.max(0, Math.min(a2, b2) - Math.max(a0, b0)) * Math.max(0, Math.min(a3, b3) - Math.max(a1, b1));
  return inter / ((a2 - a0) * (a3 - a1) + (b2 - b0) * (b3 - b1) - inter);
}

/** Share of `want`'s lines with a box in `got` overlapping it at IoU >= 0.7. */
const boxesFound = (want: OcrLine[], got: OcrLine[]) =>
  want.filter((w) => got.some((g) => iou(w, g) >= 0.7)).length / want.length;

describe(
  'memory-bounded detection and recognition read like one pass',
  { skip: withoutCorpus('dev/cvs-paper_p002.png') },
  () => {
    let engine: Engine;
    let page: RawImage;
    let onePass: OcrLine[];
    before(async () => {
      engine = await createEngine({ intraOpThreads: 2 });
      const { data, info } = await sharp(PAGE).greyscale().raw().toBuffer({ resolveWithObject: true });
      page = { data, width: info.width, height: info.height, channels: 1 };
      onePass = (await engine.recognize(page, { detTilePixels: 0, recBatchWidth: 0 })).lines;
      assert.ok(onePass.length > 30, `the page reads ${onePass.length} lines`);
    });

    it('finds the same boxes and text with the default strips', async () => {
      const { lines } = await engine.recognize(page, { recBatchWidth: 0 });
      assert.ok(Math.abs(lines.length - onePass.length) <= 1, `${lines.length} lines vs ${onePass.length} in one pass`);
      assert.ok(boxesFound(onePass, lines) >= 0.95, `boxes found: ${boxesFound(onePass, lines)}`);
      assert.ok(pageCer(onePass, lines) <= 0.02, `CER against one pass: ${pageCer(onePass, lines)}`);
    });

    it('finds the same boxes and text with many thin strips', async () => {
      // 1440 detector columns: 96 kept rows per strip, 64 rows of context on each side.
      const { lines } = await engine.recognize(page, { recBatchWidth: 0, detTilePixels: 1440 * 224 });
      assert.ok(Math.abs(lines.length - onePass.length) <= 2, `${lines.length} lines vs ${onePass.length} in one pass`);
      assert.ok(boxesFound(onePass, lines) >= 0.9, `boxes found: ${boxesFound(onePass, lines)}`);
      // Each thin strip sees little context, so a few characters change; a lost or shifted strip would
      // lose whole lines (CER far above this).
      assert.ok(pageCer(onePass, lines) <= 0.05, `CER against one pass: ${pageCer(onePass, lines)}`);
    });

    it('keeps every line with its own text whatever the batch width', async () => {
      // Same detection; only the batches differ. Padding may change a character here and there,
      // but a line must never get another line's text.
      const narrow = (await engine.recognize(page, { detTilePixels: 0, recBatchWidth: 400 })).lines;
      assert.deepEqual(
        narrow.map((l) => l.bbox),
        onePass.map((l) => l.bbox),
      );
      for (let i = 0; i < narrow.length; i++) {
        const cer = editDistance(onePass[i].text, narrow[i].text) / Math.max(1, onePass[i].text.length);
        assert.ok(cer <= 0.2, `line ${i}: ${JSON.stringify(narrow[i].text)} vs ${JSON.stringify(onePass[i].text)}`);
      }
      assert.ok(pageCer(onePass, narrow) <= 0.02, `CER against one batch: ${pageCer(onePass, narrow)}`);
    });
  },
);
