#!/usr/bin/env node
// The load-time graph rewrites (EngineOptions.fuseGraph, native/ocr/onnx_fuse.cc) measured alone:
// each bundled model as exported against the rewritten graph, one ONNX Runtime session each, one
// intra-op thread, runs interleaved in one process on the same random input; prints the median
// time of both, their ratio and the largest output difference.
// Usage: node scripts/bench-graph.mjs [runs=15]   (after npm run build)
import { readFileSync } from 'node:fs';
import path from 'node:path';

import ort from 'onnxruntime-node';

import { fuseModel } from '../dist/src/native/engine.js';

const runs = Number(process.argv[2] ?? 15);
const assets = path.resolve(import.meta.dirname, '..', 'node_modules', '@gutenye', 'ocr-models', 'assets');
const cases = [
  ['recognizer, 1 line 320 wide', 'ch_PP-OCRv4_rec_infer.onnx', [1, 3, 48, 320]],
  ['recognizer, 1 line 1200 wide', 'ch_PP-OCRv4_rec_infer.onnx', [1, 3, 48, 1200]],
  ['recognizer, 8 lines 640 wide', 'ch_PP-OCRv4_rec_infer.onnx', [8, 3, 48, 640]],
  ['detector, strip 1472x352', 'ch_PP-OCRv4_det_infer.onnx', [1, 3, 352, 1472]],
  ['detector, 960x640', 'ch_PP-OCRv4_det_infer.onnx', [1, 3, 640, 960]],
  ['classifier, 8 lines', 'ch_ppocr_mobile_v2.0_cls_infer.onnx', [8, 3, 48, 192]],
];

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1];
};
const opts = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 3 };
console.log(
  `${'case'.padEnd(32)} ${'exported ms'.padStart(12)} ${'rewritten ms'.padStart(13)} ${'ratio'.padStart(7)}  max |diff|  rewrites`,
);
const ratios = [];
for (const [label, file, dims] of cases) {
  const bytes = readFileSync(path.join(assets, file));
  const fused = fuseModel(bytes);
  const a = await ort.InferenceSession.create(bytes, opts);
  const b = await ort.InferenceSession.create(fused.model, opts);
  const n = dims.reduce((x, y) => x * y, 1);
  const x = new ort.Tensor(
    'float32',
    Float32Array.from({ length: n }, () => Math.random() * 2 - 1),
    dims,
  );
  const t = [[], []];
  let diff = 0;
  for (let r = 0; r < runs + 2; r++) {
    const outs = [];
    for (const [k, s] of [a, b].entries()) {
      const t0 = performance.now();
      const o = await s.run({ [s.inputNames[0]]: x });
      if (r >= 2) t[k].push(performance.now() - t0);
      outs.push(o[s.outputNames[0]].data);
    }
    if (r === 0) for (let i = 0; i < outs[0].length; i++) diff = Math.max(diff, Math.abs(outs[0][i] - outs[1][i]));
  }
  const [ma, mb] = [median(t[0]), median(t[1])];
  ratios.push(mb / ma);
  const c = fused.counts;
  console.log(
    `${label.padEnd(32)} ${ma.toFixed(1).padStart(12)} ${mb.toFixed(1).padStart(13)} ${(mb / ma).toFixed(3).padStart(7)}  ${diff.toExponential(1).padStart(9)}  ` +
      `${c.convAffine} conv+affine, ${c.hardSwish} hard-swish, ${c.affineInto1x1} into 1x1, ${c.affineDepthwise} as depthwise`,
  );
}
console.log(`time ratio rewritten / exported: ${ratios.map((r) => r.toFixed(3)).join(' ')} (below 1: faster)`);
