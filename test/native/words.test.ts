import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { createEngine, type Engine, type OcrWord } from '../../src/native/engine.js';
import { renderWords } from './render.js';

const WORDS = ['Invoice', 'number', '2024-305', 'is', 'due;', 'pay', 'illicit', 'fill', 'total.'];

function extent(b: OcrWord['bbox']): [number, number, number, number] {
  const xs = b.map((p) => p[0]);
  const ys = b.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

describe('word boxes', () => {
  let engine: Engine;
  before(async () => {
    engine = await createEngine({ intraOpThreads: 2 });
  });

  // The 0/180 classifier sees a line squeezed into 192 columns (as in PaddleOCR): it decides short
  // lines well, so the upside-down case uses the first four words.
  const cases: { name: string; font: string; rotate180?: boolean }[] = [
    { name: 'a proportional sans font', font: 'DejaVu Sans' },
    { name: 'a serif font', font: 'Liberation Serif' },
    { name: 'a monospaced font', font: 'DejaVu Sans Mono' },
    { name: 'an upside-down line read with the classifier', font: 'DejaVu Sans', rotate180: true },
  ];
  for (const c of cases) {
    it(`contain each word's ink and no other word's, in ${c.name}`, async () => {
      const expected = c.rotate180 ? WORDS.slice(0, 4) : WORDS;
      const { image, inks } = await renderWords(expected, { font: c.font, rotate180: c.rotate180 });
      const r = await engine.recognize(image, { useClassifier: Boolean(c.rotate180), orientation: false });
      assert.equal(r.lines.length, 1);
      const words = r.lines[0].words ?? [];
      // PP-OCRv6 tiny reads Liberation Serif's hyphen as an en dash: the boxes are what this checks.
      assert.deepEqual(
        words.map((w) => w.text.replace(/–/g, '-')),
        expected,
      );
      assert.equal(r.lines[0].text, words.map((w) => w.text).join(' '));
      const textH = Math.max(...inks.map((i) => i[3] - i[1]));
      // Columns are measured on the crop scaled to the model's 48-pixel height, from the CTC columns
      // of the characters: PP-OCRv6 tiny places them up to about a quarter of the text height off
      // the glyphs in a monospaced font ("is" 6 px right of its ink at 28 px). Allow that across,
      // and vertically what the line box test allows (15% of the text height). The neighbour check
      // below stays exact.
      const sx = Math.ceil(0.25 * textH),
        sy = Math.ceil(0.15 * textH);
      words.forEach((w, k) => {
        const [x0, y0, x1, y1] = extent(w.bbox);
        const [ix0, iy0, ix1, iy1] = inks[k];
        assert.ok(
          x0 <= ix0 + sx && x1 >= ix1 - sx && y0 <= iy0 + sy && y1 >= iy1 - sy,
          `"${w.text}" box ${[x0, y0, x1, y1]} does not contain its ink ${inks[k]}`,
        );
        // Tight: no neighbour's ink inside, and not much taller than the text.
        for (const n of [k - 1, k + 1]) {
          if (n < 0 || n >= inks.length) continue;
          const cx = (inks[n][0] + inks[n][2]) / 2;
          assert.ok(cx < x0 || cx > x1, `"${w.text}" box ${[x0, x1]} reaches into "${expected[n]}" at ${cx}`);
        }
        assert.ok(y1 - y0 < 2 * textH, `"${w.text}" box height ${y1 - y0} vs text ${textH}`);
        assert.ok(w.confidence > 0.5 && w.confidence <= 1);
      });
    });
  }

  it('follow a rotated line: corners stay in reading order', async () => {
    // A line drawn upside down and read with the classifier reads left to right on the page
    // from the right: the first word's box lies right of the last word's.
    const { image } = await renderWords(WORDS.slice(0, 3), { rotate180: true });
    const r = await engine.recognize(image, { useClassifier: true, orientation: false });
    const words = r.lines[0].words ?? [];
    assert.ok(extent(words[0].bbox)[0] > extent(words[2].bbox)[0]);
    // top-left corner of an upside-down word is at the bottom right of its page extent
    const [tl, , br] = words[0].bbox;
    assert.ok(tl[0] > br[0] && tl[1] > br[1], `corners ${JSON.stringify(words[0].bbox)}`);
  });
});
