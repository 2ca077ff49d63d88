// The recognition graph rewritten to reduce its output per time step (issue 14, item 1): same text,
// a thousandth of the bytes handed to decoding.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { createEngine, type Engine } from '../../src/native/engine.js';
import { renderLines } from './render.js';

const LINES = [
  'Reduce on the device: only arg-max, its probability',
  'and the space class cross to the host (2026-12-02).',
];

describe('recognizer output reduced in the graph', () => {
  let reduced: Engine;
  let plain: Engine;
  before(async () => {
    reduced = await createEngine({ intraOpThreads: 2 });
    plain = await createEngine({ intraOpThreads: 2, reduceOnDevice: false });
  });

  it('reads the same text, words and confidences as the plain graph', async () => {
    const img = await renderLines(LINES, { fontSize: 30 });
    const a = await reduced.recognize(img);
    const b = await plain.recognize(img);
    assert.deepEqual(
      a.lines.map((l) => l.text),
      LINES,
    );
    assert.deepEqual(a.lines, b.lines);
  });

  it('hands decoding about a thousandth of the bytes', async () => {
    const img = await renderLines(LINES, { fontSize: 30 });
    const a = await reduced.recognize(img);
    const b = await plain.recognize(img);
    assert.ok(a.timings.recOutBytes > 0 && b.timings.recOutBytes > 0);
    const ratio = b.timings.recOutBytes / a.timings.recOutBytes;
    // 6,625 floats per time step against one int64 and two floats.
    assert.ok(
      ratio > 1000,
      `plain ${b.timings.recOutBytes} B vs reduced ${a.timings.recOutBytes} B: ${ratio.toFixed(0)}x`,
    );
  });
});
