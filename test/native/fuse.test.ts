// Load-time graph rewrites (native/ocr/onnx_fuse.cc): the bundled models' convolution blocks are
// rewritten so that ONNX Runtime keeps them in its blocked layout. Same function, same text.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';

import ort from 'onnxruntime-node';

import { ROOT, loadManifest, resolveModelSet } from '../../src/models/manifest.js';
import { createEngine, fuseModel, widenModel, type Engine } from '../../src/native/engine.js';
import { renderLines } from './render.js';

const ASSETS = path.join(ROOT, 'node_modules', '@gutenye', 'ocr-models', 'assets');
const LINES = ['Fused graphs: the scale and bias of each block', 'folded into its convolution, 0.7x the time.'];

function randomInput(dims: number[]): ort.Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (s / 2 ** 32) * 2 - 1;
  }
  return new ort.Tensor('float32', data, dims);
}

async function maxDiff(
  file: string,
  dims: number[],
): Promise<{ diff: number; scale: number; counts: Record<string, number> }> {
  const bytes = readFileSync(path.join(ASSETS, file));
  const fused = fuseModel(bytes);
  const opts = { intraOpNumThreads: 1, logSeverityLevel: 3 as const };
  const a = await ort.InferenceSession.create(bytes, opts);
  const b = await ort.InferenceSession.create(fused.model, opts);
  const x = randomInput(dims);
  const ya = (await a.run({ [a.inputNames[0]]: x }))[a.outputNames[0]].data as Float32Array;
  const yb = (await b.run({ [b.inputNames[0]]: x }))[b.outputNames[0]].data as Float32Array;
  assert.equal(ya.length, yb.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ya.length; i++) {
    diff = Math.max(diff, Math.abs(ya[i] - yb[i]));
    scale = Math.max(scale, Math.abs(ya[i]));
  }
  return { diff, scale, counts: { ...fused.counts } };
}

describe('graph rewrites at load', () => {
  let fused: Engine;
  let plain: Engine;
  before(async () => {
    // PP-OCRv4 by name: its PPLCNetV3 blocks are what these rewrites fold (PP-OCRv6 below).
    fused = await createEngine({ model: 'pp-ocrv4', intraOpThreads: 2 });
    plain = await createEngine({ model: 'pp-ocrv4', intraOpThreads: 2, fuseGraph: false });
  });

  it('rewrites every block of the bundled detector, recognizer and classifier', () => {
    const r = fused.graphRewrites;
    // PP-OCRv4: 28 hard-swish activations in the recognizer, 24 in the detector; the v2 classifier
    // (MobileNetV3) has hard-swish only.
    assert.deepEqual(r.rec, {
      convAffine: 28,
      hardSwish: 28,
      affineInto1x1: 12,
      affineDepthwise: 13,
      geluSqrt2: 0,
      widened: 0,
      reduced: true,
    });
    assert.deepEqual(r.det, {
      convAffine: 28,
      hardSwish: 24,
      affineInto1x1: 10,
      affineDepthwise: 10,
      geluSqrt2: 0,
      widened: 0,
    });
    assert.equal(r.cls?.hardSwish, 18);
    const p = plain.graphRewrites;
    assert.equal(p.rec?.hardSwish, 0);
    assert.equal(p.det?.convAffine, 0);
    assert.equal(p.rec?.reduced, true);
  });

  it('computes the same outputs as the exported graphs, up to float rounding', async () => {
    for (const [file, dims] of [
      ['ch_PP-OCRv4_rec_infer.onnx', [2, 3, 48, 640]],
      ['ch_PP-OCRv4_det_infer.onnx', [1, 3, 320, 480]],
      ['ch_ppocr_mobile_v2.0_cls_infer.onnx', [4, 3, 48, 192]],
    ] as const) {
      const { diff, scale, counts } = await maxDiff(file, [...dims]);
      assert.ok(
        Object.values(counts).some((n) => n > 0),
        `${file}: nothing rewritten`,
      );
      assert.ok(scale > 0, `${file}: output all zero`);
      assert.ok(diff < 1e-4 * Math.max(1, scale), `${file}: max difference ${diff} (output scale ${scale})`);
    }
  });

  it('reads the same text and word boxes as the plain graphs', async () => {
    const img = await renderLines(LINES, { fontSize: 30 });
    const a = await fused.recognize(img);
    const b = await plain.recognize(img);
    assert.deepEqual(
      a.lines.map((l) => l.text),
      LINES,
    );
    assert.deepEqual(
      a.lines.map((l) => l.text),
      b.lines.map((l) => l.text),
    );
    assert.deepEqual(
      a.lines.map((l) => l.bbox),
      b.lines.map((l) => l.bbox),
    );
    assert.deepEqual(
      a.lines.map((l) => (l.words ?? []).map((w) => [w.text, w.bbox])),
      b.lines.map((l) => (l.words ?? []).map((w) => [w.text, w.bbox])),
    );
    for (let i = 0; i < a.lines.length; i++) assert.ok(Math.abs(a.lines[i].confidence - b.lines[i].confidence) < 1e-3);
  });

  it('refuses bytes that are not a model with an Error, not a crash', () => {
    assert.throws(() => fuseModel(Buffer.from('not an onnx model at all')), /fuseModel/);
    assert.throws(() => fuseModel(new Uint8Array([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f])), /fuseModel/);
    assert.throws(() => fuseModel('x' as unknown as Uint8Array), TypeError);
    // A model cut short anywhere: an Error naming the problem, never a crash or a hang.
    const bytes = readFileSync(path.join(ASSETS, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'));
    for (const n of [1, 7, 100, 5000, bytes.length >> 1, bytes.length - 1]) {
      assert.throws(() => fuseModel(bytes.subarray(0, n)), /fuseModel: /, `cut at ${n}`);
    }
  });
});

// Setup installs the float16 recognizer from ../shared/models, else the official float32 one (whose
// sqrt(2) is exact: nothing to restore, so these checks do not apply to it).
const tinyRec = resolveModelSet('pp-ocrv6-tiny').rec;
const float32Rec = statSync(tinyRec).size === loadManifest().sets['pp-ocrv6-tiny']!.files.rec.size;
describe(
  'graph rewrites of PP-OCRv6 tiny (the default set)',
  { skip: float32Rec && 'the installed recognizer is the official float32 file' },
  () => {
    const tiny = resolveModelSet('pp-ocrv6-tiny');

    it("restores GELU's float16-rounded sqrt(2) in the widened recognizer: outputs within the weights' own rounding", async () => {
      const widened = widenModel(readFileSync(tiny.rec)).model;
      const fused = fuseModel(widened);
      assert.deepEqual(fused.counts, {
        convAffine: 0,
        hardSwish: 0,
        affineInto1x1: 0,
        affineDepthwise: 0,
        geluSqrt2: 10,
      });
      // The official float32 detector writes sqrt(2) exactly: nothing to restore.
      assert.equal(fuseModel(readFileSync(tiny.det)).counts.geluSqrt2, 0);
      const opts = { intraOpNumThreads: 1, logSeverityLevel: 3 as const };
      const a = await ort.InferenceSession.create(widened, opts);
      const b = await ort.InferenceSession.create(fused.model, opts);
      const x = randomInput([2, 3, 48, 480]);
      const ya = (await a.run({ x }))[a.outputNames[0]].data as Float32Array;
      const yb = (await b.run({ x }))[b.outputNames[0]].data as Float32Array;
      let diff = 0;
      for (let i = 0; i < ya.length; i++) diff = Math.max(diff, Math.abs(ya[i] - yb[i]));
      assert.ok(diff > 0 && diff < 5e-3, `largest probability change ${diff}`);
    });

    it('reads the same text with and without the rewrites', async () => {
      const on = await createEngine({ intraOpThreads: 2 });
      const off = await createEngine({ intraOpThreads: 2, fuseGraph: false });
      assert.equal(on.graphRewrites.rec?.geluSqrt2, 10);
      assert.equal(off.graphRewrites.rec?.geluSqrt2, 0);
      assert.equal(off.graphRewrites.rec?.widened, 120);
      const img = await renderLines(LINES, { fontSize: 30 });
      const a = await on.recognize(img);
      const b = await off.recognize(img);
      assert.deepEqual(
        a.lines.map((l) => l.text),
        LINES,
      );
      assert.deepEqual(
        a.lines.map((l) => l.text),
        b.lines.map((l) => l.text),
      );
    });
  },
);
