// Spaces as the pixels show them, on rendered lines of the kinds manuals are full of: a running
// header "19 / 237" (a spaced slash), "and/or" and "/usr/bin" (slashes without spaces), and words
// of narrow letters (i, l, f) that a space model can split ("Makefi le", "l i bbz ip2"). The text
// read must be the text drawn, in sans, serif and monospaced fonts at several sizes.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { createEngine, type Engine } from '../../src/native/engine.js';
import { renderLines } from './render.js';

const LINES = ['19 / 237', 'page 19 / 237', 'and/or', '1/2', 'cd /usr/bin', 'Makefile', 'bzip2', 'libbzip2', 'see Makefile and libbzip2 in /usr/lib'];
const FONTS = ['DejaVu Sans', 'Liberation Serif', 'Liberation Sans', 'DejaVu Sans Mono'];
const SIZES = [14, 20, 28];

describe('spaces in rendered lines', () => {
  let engine: Engine;
  before(async () => {
    engine = await createEngine({ intraOpThreads: 2 });
  });

  for (const font of FONTS) {
    it(`are read as drawn in ${font} at ${SIZES.join(', ')} px`, async () => {
      const wrong: string[] = [];
      for (const size of SIZES) {
        for (const text of LINES) {
          const r = await engine.recognize(await renderLines([text], { fontSize: size, font }));
          const got = r.lines.map((l) => l.text).join(' | ');
          if (got !== text) wrong.push(`${size}px ${JSON.stringify(text)} read ${JSON.stringify(got)}`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  }
});
