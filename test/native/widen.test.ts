// Float16 models on the CPU (issue 19): the engine widens a float16 model to float32 when it loads
// (native/ocr/onnx_widen.cc). Checked against an independent widening with the onnx package
// (test/fixtures/widen_fp16.py, python3-onnx): the same float32 weights bit for bit, and the same
// recognition output on real corpus pages as an engine given that float32 copy.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';

import { DEFAULT_SHARED_DIR } from '../../src/models/install.js';
import { ROOT, loadManifest, resolveModelSet } from '../../src/models/manifest.js';
import { createEngine, widenModel } from '../../src/native/engine.js';
import { CORPUS, withoutCorpus } from '../corpus.js';

const SCRIPT = path.join(ROOT, 'test', 'fixtures', 'widen_fp16.py');
const installed = resolveModelSet('pp-ocrv6-tiny');
// The float16 recognizer: the installed one when setup took it from ../shared/models, else that copy
// itself (setup downloads the official float32 file where ../shared/models is absent).
const fp16 = loadManifest().sets['pp-ocrv6-tiny']!.files.rec.variants![0]!;
const sharedFp16 = path.join(DEFAULT_SHARED_DIR, 'pp-ocrv6-tiny', 'PP-OCRv6_tiny_rec_fp16.onnx');
const fp16Rec =
  statSync(installed.rec).size === fp16.size ? installed.rec : existsSync(sharedFp16) ? sharedFp16 : undefined;
const tiny = { ...installed, rec: fp16Rec ?? installed.rec };
const noFp16 = fp16Rec ? false : `no float16 recognizer: ${sharedFp16} is absent and the installed one is float32`;
if (noFp16) console.log(`# skipped: ${noFp16}`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ocr-widen-'));
const py = (...args: string[]) => execFileSync('/usr/bin/python3', [SCRIPT, ...args], { encoding: 'utf8' });

describe('float16 models widened at load', { skip: noFp16 }, () => {
  const reference = path.join(tmp, 'rec-fp32.onnx');
  before(() => {
    py('widen', tiny.rec, reference);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("the bundled recognizer is float16; its widened weights equal the onnx package's, bit for bit", () => {
    const { model, counts } = widenModel(readFileSync(tiny.rec));
    assert.equal(counts.tensors, 120);
    assert.ok(counts.types > 0);
    const ours = path.join(tmp, 'rec-ours.onnx');
    writeFileSync(ours, model);
    assert.match(py('compare', ours, reference), /120 initializers identical/);
  });

  it('edge values: subnormals, signed zeros, the largest half, infinities and NaN', () => {
    const special = path.join(tmp, 'special.onnx');
    py('special', special);
    const widened = path.join(tmp, 'special-ours.onnx');
    writeFileSync(widened, widenModel(readFileSync(special)).model);
    const ref = path.join(tmp, 'special-ref.onnx');
    py('widen', special, ref);
    assert.match(py('compare', widened, ref), /1 initializers identical/);
  });

  it('a float32 model comes back unchanged; bytes that are not a model are an Error', () => {
    const det = readFileSync(tiny.det);
    const r = widenModel(det);
    assert.deepEqual(r.counts, { tensors: 0, types: 0 });
    assert.ok(r.model.equals(det));
    assert.throws(() => widenModel(Buffer.from('not an onnx model at all')), /widenModel/);
    assert.throws(() => widenModel('x' as unknown as Uint8Array), TypeError);
    // A float16 model cut short anywhere: an Error naming the problem, never a crash or a hang.
    const rec = readFileSync(tiny.rec);
    for (const n of [1, 7, 100, 5000, rec.length >> 1, rec.length - 1]) {
      assert.throws(() => widenModel(rec.subarray(0, n)), /widenModel: /, `cut at ${n}`);
    }
  });

  it(
    'real pages read the same with the float16 file (widened at load) as with the float32 copy',
    { skip: withoutCorpus() },
    async () => {
      const half = await createEngine({ models: { det: tiny.det, rec: tiny.rec, dict: tiny.dict } });
      const full = await createEngine({ models: { det: tiny.det, rec: reference, dict: tiny.dict } });
      assert.equal(half.graphRewrites.rec?.widened, 120);
      assert.equal(half.graphRewrites.det?.widened, 0);
      assert.equal(full.graphRewrites.rec?.widened, 0);
      for (const page of ['dev/cvs-paper_p007.png', 'dev2/lshort-pl_p021.png']) {
        const { data, info } = await sharp(path.join(CORPUS, page)).raw().toBuffer({ resolveWithObject: true });
        const image = { data, width: info.width, height: info.height, channels: info.channels };
        const a = await half.recognize(image);
        const b = await full.recognize(image);
        assert.ok(a.lines.length > 20, `${page}: ${a.lines.length} lines`);
        assert.deepEqual(a.lines, b.lines, page);
      }
    },
  );
});
