// Page orientation (issue 20): every `dev2` page turned 90°, 180° and 270° reads within 0.01 word
// F1 of the same page upright (the corpus' own scorer, page by page), the engine says how it
// turned the page, its boxes stay in the pixels of the image as submitted, and an upright page
// reads exactly as with orientation off.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';

import { toUpright } from '../../src/layout/geometry.js';
import { createEngine, type Engine, type OcrLine } from '../../src/native/engine.js';
import { CORPUS, withoutCorpus } from '../corpus.js';

const SET = 'dev2';
const ANGLES = [90, 180, 270] as const;

async function read(engine: Engine, file: string, turn: number, orientation = true) {
  const { data, info } = await sharp(file).rotate(turn).raw().toBuffer({ resolveWithObject: true });
  const r = await engine.recognize(
    { data, width: info.width, height: info.height, channels: info.channels },
    { orientation },
  );
  return { ...r, width: info.width, height: info.height };
}

/** Word F1 of each page (score.mjs --per-page), by page name. */
function perPageF1(predDir: string): Map<string, number> {
  const report = execFileSync(
    process.execPath,
    [path.join(CORPUS, 'score.mjs'), path.join(CORPUS, 'gt', SET), predDir, '--per-page'],
    { encoding: 'utf8' },
  );
  const out = new Map<string, number>();
  for (const m of report.matchAll(/^\s+(\S+)\s+\d+\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s*$/gm))
    out.set(m[1], Number(m[2]));
  return out;
}

const center = (bbox: OcrLine['bbox']) => [
  bbox.reduce((s, p) => s + p[0], 0) / 4,
  bbox.reduce((s, p) => s + p[1], 0) / 4,
];

describe('page orientation', { skip: withoutCorpus() }, () => {
  let engine: Engine;
  const files = existsSync(CORPUS) ? readdirSync(path.join(CORPUS, SET)).sort() : [];
  const root = mkdtempSync(path.join(os.tmpdir(), 'ocr-orient-'));
  const upright = new Map<string, OcrLine[]>();
  before(async () => {
    engine = await createEngine({ intraOpThreads: 2 });
  });

  it(`reads every ${SET} page upright as it is (rotation 0)`, async () => {
    mkdirSync(path.join(root, '0'));
    for (const f of files) {
      const r = await read(engine, path.join(CORPUS, SET, f), 0);
      assert.equal(r.rotation, 0, f);
      upright.set(f, r.lines);
      writeFileSync(path.join(root, '0', f.replace(/\.[^.]+$/, '.json')), JSON.stringify({ lines: r.lines }));
    }
  });

  it('reads an upright page exactly as with orientation off', async () => {
    for (const f of files.slice(0, 4)) {
      const off = await read(engine, path.join(CORPUS, SET, f), 0, false);
      assert.equal(off.rotation, 0);
      assert.deepEqual(off.lines, upright.get(f), f);
    }
  });

  for (const angle of ANGLES) {
    it(`turns every ${SET} page scanned at ${angle}° upright: rotation ${(360 - angle) % 360}, word F1 within 0.01 of upright`, async () => {
      const dir = path.join(root, String(angle));
      mkdirSync(dir);
      for (const f of files) {
        const r = await read(engine, path.join(CORPUS, SET, f), angle);
        assert.equal(r.rotation, (360 - angle) % 360, `${f} at ${angle}°`);
        writeFileSync(path.join(dir, f.replace(/\.[^.]+$/, '.json')), JSON.stringify({ lines: r.lines }));
      }
      const base = perPageF1(path.join(root, '0'));
      const turned = perPageF1(dir);
      assert.equal(turned.size, files.length);
      for (const [page, f1] of turned) {
        assert.ok(
          Math.abs(f1 - base.get(page)!) <= 0.01,
          `${page} at ${angle}°: word F1 ${f1} against ${base.get(page)} upright`,
        );
      }
    });
  }

  it('gives boxes in the pixels of the image as submitted', async () => {
    const f = files[0];
    const up = upright.get(f)!;
    for (const angle of ANGLES) {
      const r = await read(engine, path.join(CORPUS, SET, f), angle);
      // The turned image, turned back by `rotation`, is the upright page pixel for pixel: each line
      // sits where the upright read put it, and its first corner is its text's top-left.
      let matched = 0;
      for (const l of r.lines) {
        const back = l.bbox.map((p) => toUpright(p, r.rotation as 90 | 180 | 270, r.width, r.height));
        const [cx, cy] = center(back as OcrLine['bbox']);
        // The same text may stand on a page twice: the nearest upright line of that text.
        const dist = up
          .filter((u) => u.text === l.text)
          .map((u) => Math.hypot(cx - center(u.bbox)[0], cy - center(u.bbox)[1]));
        if (!dist.length) continue;
        matched++;
        assert.ok(
          Math.min(...dist) < 3,
          `${l.text} at ${angle}°: (${cx}, ${cy}), ${Math.min(...dist)} px from where it was read upright`,
        );
        assert.ok(
          back[0][0] < back[1][0] && back[0][1] < back[3][1],
          `first corner is the text's top-left at ${angle}°`,
        );
        for (const [x, y] of l.bbox) assert.ok(x >= -2 && y >= -2 && x <= r.width + 2 && y <= r.height + 2);
      }
      assert.ok(matched >= 0.9 * up.length, `${matched} of ${up.length} lines read alike at ${angle}°`);
    }
  });

  it('reads a turned page as it is with orientation off', async () => {
    const r = await read(engine, path.join(CORPUS, SET, files[0]), 180, false);
    assert.equal(r.rotation, 0);
    const words = new Set(upright.get(files[0])!.flatMap((l) => l.text.split(' ')));
    const same = r.lines.flatMap((l) => l.text.split(' ')).filter((w) => words.has(w)).length;
    assert.ok(same < 0.3 * words.size, `upside down and not turned, ${same} of ${words.size} words still read`);
  });
});
