// Spaces as the pixels show them, on rendered lines of the kinds manuals are full of: a running
// header "19 / 237" (a spaced slash), "and/or" and "/usr/bin" (slashes without spaces), and words
// of narrow letters (i, l, f) that a space model can split ("Makefi le", "l i bbz ip2"). The text
// read must be the text drawn, in sans, serif and monospaced fonts at several sizes.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { createEngine, type Engine } from '../../src/native/engine.js';
import { renderLines } from './render.js';

const LINES = [
  '19 / 237',
  'page 19 / 237',
  'Linux / Unix',
  'and/or',
  '1/2',
  'TCP/IP',
  'cd /usr/bin',
  'src/lang/index.ts',
  'http://example.com/a/b',
  'Makefile',
  'bzip2',
  'libbzip2',
  'see Makefile and libbzip2 in /usr/lib',
  'see page 19 / 237 of the Linux / Unix guide',
];
const FONTS = ['DejaVu Sans', 'Liberation Serif', 'Liberation Sans', 'DejaVu Sans Mono'];
// Sizes where the recognizer reads every character of these lines: at 18-20 px in Liberation Sans
// it reads the spaced slash of "19 / 237" as "1" ("191237"), in DejaVu Sans Mono at 16 px "bzip2"
// as "bip2", and at 12 px it drops characters: misreadings, not spacing.
const SIZES = [14, 24, 28];

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
