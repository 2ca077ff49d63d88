import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { createEngine, type Engine } from '../../src/native/engine.js';
import { renderLines } from './render.js';

const SENTENCES = [
  'The quick brown fox jumps over the lazy dog',
  'Order 2024-117 total 1,234.56 EUR',
  'Pack my box with five dozen liquor jugs',
];

describe('engine on rendered text', () => {
  let engine: Engine;
  before(async () => {
    engine = await createEngine({ intraOpThreads: 2 });
  });

  for (const fontSize of [22, 32, 48]) {
    it(`reads clean lines exactly at ${fontSize}px`, async () => {
      const img = await renderLines(SENTENCES, { fontSize });
      const r = await engine.recognize(img);
      assert.deepEqual(
        r.lines.map((l) => l.text),
        SENTENCES,
      );
      for (const l of r.lines) assert.ok(l.confidence > 0.8 && l.confidence <= 1, `confidence ${l.confidence}`);
    });
  }

  it('returns boxes that contain the rendered text, in reading order', async () => {
    const img = await renderLines([SENTENCES[0]], { fontSize: 40 });
    const r = await engine.recognize(img);
    assert.equal(r.lines.length, 1);
    const xs = r.lines[0].bbox.map((p) => p[0]);
    const ys = r.lines[0].bbox.map((p) => p[1]);
    const [x0, y0, x1, y1] = img.ink;
    // DB boxes follow the text closely but not to the pixel: allow 15% of the text height.
    const slack = Math.ceil(0.15 * (y1 - y0));
    assert.ok(Math.min(...xs) <= x0 + slack && Math.max(...xs) >= x1 - slack, `x ${xs} vs ink ${x0}..${x1}`);
    assert.ok(Math.min(...ys) <= y0 + slack && Math.max(...ys) >= y1 - slack, `y ${ys} vs ink ${y0}..${y1}`);
    // and not absurdly larger than the ink
    assert.ok(Math.max(...ys) - Math.min(...ys) < 2.5 * (y1 - y0), 'box height close to the text height');
  });

  it('reads a line rotated by 180 degrees when the classifier is on', async () => {
    // The classifier alone, line by line: page orientation (which would turn this page) is off.
    // The v2.0 line classifier squeezes a line into 48x192: it decides short lines well. With
    // PP-OCRv6 tiny's crops a 43-character line is too long for it (README, useClassifier); a
    // short one is read right way up, and the long one with PP-OCRv4's crops.
    const short = await renderLines(['Upside down invoice 2024'], { fontSize: 36, rotate180: true });
    assert.deepEqual(
      (await engine.recognize(short, { useClassifier: true, orientation: false })).lines.map((l) => l.text),
      ['Upside down invoice 2024'],
    );
    const img = await renderLines([SENTENCES[0]], { fontSize: 36, rotate180: true });
    const v4 = await createEngine({ model: 'pp-ocrv4', intraOpThreads: 2 });
    const r = await v4.recognize(img, { useClassifier: true, orientation: false });
    assert.deepEqual(
      r.lines.map((l) => l.text),
      [SENTENCES[0]],
    );
  });

  it('accepts gray, RGBA and padded-stride buffers with the same result', async () => {
    const rgb = await renderLines([SENTENCES[2]], { fontSize: 32 });
    const n = rgb.width * rgb.height;
    const gray = new Uint8Array(n);
    const rgba = new Uint8Array(n * 4);
    const stride = rgb.width * 3 + 7;
    const padded = new Uint8Array(stride * rgb.height);
    for (let i = 0; i < n; i++) {
      gray[i] = rgb.data[i * 3];
      rgba.set(rgb.data.subarray(i * 3, i * 3 + 3), i * 4);
      rgba[i * 4 + 3] = 255;
    }
    for (let y = 0; y < rgb.height; y++)
      padded.set(rgb.data.subarray(y * rgb.width * 3, (y + 1) * rgb.width * 3), y * stride);
    const base = { width: rgb.width, height: rgb.height };
    for (const img of [
      { ...base, data: gray, channels: 1 },
      { ...base, data: rgba, channels: 4 },
      { ...base, data: padded, channels: 3, stride },
    ]) {
      const r = await engine.recognize(img);
      assert.deepEqual(
        r.lines.map((l) => l.text),
        [SENTENCES[2]],
      );
    }
  });

  it('reports per-stage timings', async () => {
    const r = await engine.recognize(await renderLines([SENTENCES[1]]));
    for (const k of ['preprocess', 'det', 'postprocess', 'cls', 'rec', 'ortRun', 'total'] as const) {
      assert.equal(typeof r.timings[k], 'number', k);
      assert.ok(r.timings[k] >= 0, k);
    }
    assert.ok(r.timings.det > 0 && r.timings.rec > 0 && r.timings.total >= r.timings.ortRun);
  });

  it('returns no lines for a blank page', async () => {
    const data = new Uint8Array(640 * 480 * 3).fill(255);
    const r = await engine.recognize({ data, width: 640, height: 480, channels: 3 });
    assert.deepEqual(r.lines, []);
  });

  it('lets a call override the engine defaults (score threshold)', async () => {
    const img = await renderLines([SENTENCES[0]]);
    const r = await engine.recognize(img, { scoreThresh: 1 });
    assert.deepEqual(r.lines, [], 'a threshold of 1 drops every line');
  });
});
