import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';

import { modelSetDir } from '../../src/models/manifest.js';
import { createEngine, type Engine } from '../../src/native/engine.js';
import { renderLines } from './render.js';

const dir = modelSetDir('pp-ocrv4');
const real = {
  det: path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'),
  rec: path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'),
  dict: path.join(dir, 'ppocr_keys_v1.txt'),
};

describe('engine errors are JS errors with clear messages', () => {
  let engine: Engine;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ocr-err-'));
  before(async () => {
    engine = await createEngine();
  });

  const image = { data: new Uint8Array(10 * 10 * 3), width: 10, height: 10, channels: 3 };
  const cases: [string, object, RegExp][] = [
    [
      'buffer shorter than width x height x channels',
      { ...image, data: new Uint8Array(299) },
      /image\.data is too short: 299 bytes/,
    ],
    ['zero width', { ...image, width: 0 }, /positive integer for image\.width but received 0/],
    ['negative height', { ...image, height: -3 }, /positive integer for image\.height but received -3/],
    ['unknown channel count', { ...image, channels: 2 }, /1, 3 or 4 for image\.channels but received 2/],
    ['data that is not bytes', { ...image, data: 'pixels' }, /Uint8Array or Buffer for image\.data/],
  ];
  for (const [name, img, re] of cases) {
    it(`rejects ${name}`, async () => {
      await assert.rejects(engine.recognize(img as never), re);
    });
  }

  it('rejects a bad option, naming it', async () => {
    await assert.rejects(
      engine.recognize(image, { detThresh: 2 }),
      /options\.detThresh between 0 and 1 but received 2/,
    );
    await assert.rejects(engine.recognize(image, { recBatchSize: 1.5 } as never), /integer for options\.recBatchSize/);
    await assert.rejects(engine.recognize(image, { nope: 1 } as never), /Unknown option options\.nope/);
  });

  it('fails on a missing model file', async () => {
    const missing = path.join(tmp, 'nope.onnx');
    await assert.rejects(createEngine({ models: { ...real, det: missing } }), (e: Error) => {
      assert.match(e.message, /model file not found/);
      assert.ok(e.message.includes(missing));
      return true;
    });
  });

  it('fails on a corrupt model file', async () => {
    const corrupt = path.join(tmp, 'corrupt.onnx');
    writeFileSync(corrupt, Buffer.from('this is not an onnx model'.repeat(100)));
    await assert.rejects(createEngine({ models: { ...real, rec: corrupt } }), /cannot load model .*corrupt\.onnx/);
  });

  it('fails on a missing dictionary', async () => {
    await assert.rejects(
      createEngine({ models: { ...real, dict: path.join(tmp, 'keys.txt') } }),
      /dictionary file not found/,
    );
  });

  it('fails when the dictionary does not match the recognizer', async () => {
    const small = path.join(tmp, 'small.txt');
    writeFileSync(small, 'a\nb\nc\n');
    const e = await createEngine({ models: { ...real, dict: small } });
    await assert.rejects(e.recognize(await renderLines(['hello'])), /dictionary does not match the recognition model/);
  });

  it('fails on an unknown execution provider', async () => {
    await assert.rejects(
      createEngine({ executionProvider: 'tpu' as never }),
      /"cpu" or "cuda" for executionProvider but received "tpu"/,
    );
  });

  it('says what is missing and where it looked when the CUDA provider is absent', async () => {
    await assert.rejects(
      createEngine({ executionProvider: 'cuda' }),
      /libonnxruntime_providers_\w+\.so not found in \/.*build\/(asan\/)?Release/,
    );
  });

  it('fails when the classifier is asked of an engine without one', async () => {
    const e = await createEngine({ loadClassifier: false });
    await assert.rejects(e.recognize(image, { useClassifier: true }), /without a classifier/);
  });

  it('fails on an unknown model set', async () => {
    await assert.rejects(createEngine({ model: 'pp-ocrv99' }), /Unknown model set "pp-ocrv99"/);
  });

  it('keeps working after all of the above', async () => {
    copyFileSync(real.dict, path.join(tmp, 'copy.txt'));
    const r = await engine.recognize(await renderLines(['Still working after errors']));
    assert.deepEqual(
      r.lines.map((l) => l.text),
      ['Still working after errors'],
    );
  });
});
