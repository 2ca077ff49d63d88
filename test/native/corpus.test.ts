// Accuracy bars of issue 2, measured with the corpus' own scorer on the engine's predictions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';

import { ROOT } from '../../src/models/manifest.js';
import { createEngine, type Engine } from '../../src/native/engine.js';

const CORPUS = process.env.OCR_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');

async function score(engine: Engine, set: string, boxField?: string) {
  const out = mkdtempSync(path.join(os.tmpdir(), `ocr-${set}-`));
  const dir = path.join(CORPUS, set);
  for (const f of readdirSync(dir).sort()) {
    const { data, info } = await sharp(path.join(dir, f)).raw().toBuffer({ resolveWithObject: true });
    const r = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels });
    writeFileSync(path.join(out, f.replace(/\.[^.]+$/, '.json')), JSON.stringify({ lines: r.lines }));
  }
  const args = [path.join(CORPUS, 'score.mjs'), path.join(CORPUS, 'gt', set), out];
  if (boxField) args.push('--box-field', boxField);
  const report = execFileSync(process.execPath, args, { encoding: 'utf8' });
  const m = /hmean=([\d.]+) cer=([\d.]+) wordF1=([\d.]+) pages=(\d+)/.exec(report);
  assert.ok(m, `scorer summary missing:\n${report}`);
  console.log(`# ${set}: ${m[0]}`);
  return { hmean: Number(m[1]), cer: Number(m[2]), wordF1: Number(m[3]), pages: Number(m[4]) };
}

describe('accuracy on the shared corpus (default options)', { skip: !existsSync(CORPUS) && `no corpus at ${CORPUS}` }, () => {
  let engine: Engine;
  before(async () => {
    engine = await createEngine({ intraOpThreads: 2 });
  });

  it('dev: beats every baseline (word F1 > 0.941, page CER < 0.0161, hmean > 0.890)', async () => {
    const s = await score(engine, 'dev');
    assert.equal(s.pages, 14);
    assert.ok(s.wordF1 > 0.941, `word F1 ${s.wordF1}`);
    assert.ok(s.cer < 0.0161, `page CER ${s.cer}`);
    assert.ok(s.hmean > 0.89, `hmean ${s.hmean}`);
  });

  it('dev-degraded: beats every baseline (word F1 > 0.881, page CER < 0.127)', async () => {
    const s = await score(engine, 'dev-degraded', 'bbox_rot');
    assert.equal(s.pages, 14);
    assert.ok(s.wordF1 > 0.881, `word F1 ${s.wordF1}`);
    assert.ok(s.cer < 0.127, `page CER ${s.cer}`);
  });
});
