// The CLI's progress bar under a pseudo-terminal (script(1)), its silence in a pipe, and the
// --format / --output / --pages options.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { barLine } from '../../src/cli/progress.js';
import { ROOT } from '../../src/models/manifest.js';
import { textPdf } from '../pdf/fixtures.js';

const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ocr-cli-progress-'));
const pdf = path.join(tmp, 'three.pdf');

describe('ocr CLI progress and formats', () => {
  it('draws a bar on a terminal that reaches 100% with pages/s and ETA', async () => {
    writeFileSync(pdf, await textPdf(['Progress page one', 'Progress page two', 'Progress page three']));
    const cmd = `${process.execPath} ${CLI} --threads 1 --dpi 100 ${pdf}`;
    const r = spawnSync('script', ['-q', '-e', '-c', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // The bar redraws with ESC [K (erase to end of line): the control character is the point here.
    // eslint-disable-next-line no-control-regex
    const frames = r.stdout.split('\r').map((f) => f.replace(/\x1b\[K/g, ''));
    const bars = frames.filter((f) => f.includes('three.pdf ['));
    assert.ok(bars.length >= 4, `one frame at start and one per page: ${JSON.stringify(bars)}`);
    assert.match(bars[0], /\[\.{24}\]\s+0% 0\/3 pages/);
    assert.match(bars.at(-1)!, /\[#{24}\] 100% 3\/3 pages {2}\d+\.\d\d pages\/s {2}ETA 0s/);
    assert.match(r.stdout, /Progress page one[\s\S]*Progress page three/);
  });

  it('stays quiet when stderr is not a terminal', () => {
    const r = spawnSync(process.execPath, [CLI, '--threads', '1', '--dpi', '100', pdf], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.split('\f').length, 3, 'pages separated by form feeds');
  });

  it('--format and --output write one file per input, --pages picks pages', () => {
    const out = path.join(tmp, 'out');
    for (const format of ['hocr', 'alto', 'json', 'pdf', 'txt']) {
      const r = spawnSync(
        process.execPath,
        [CLI, '--threads', '1', '--dpi', '100', '--pages', '2-3', '--format', format, '--output', out, pdf],
        { encoding: 'utf8', timeout: 120_000 },
      );
      assert.equal(r.status, 0, `${format}: ${r.stderr}`);
      assert.equal(r.stdout, '');
    }
    assert.deepEqual(readdirSync(out).sort(), ['three.alto.xml', 'three.hocr', 'three.json', 'three.pdf', 'three.txt']);
    const hocr = readFileSync(path.join(out, 'three.hocr'), 'utf8');
    assert.equal((hocr.match(/class="ocr_page"/g) ?? []).length, 2);
    assert.match(hocr, /ppageno 1; scan_res 100 100/);
    assert.match(readFileSync(path.join(out, 'three.alto.xml'), 'utf8'), /PHYSICAL_IMG_NR="3"/);
    assert.deepEqual(
      JSON.parse(readFileSync(path.join(out, 'three.json'), 'utf8')).pages.map((p: { page: number }) => p.page),
      [2, 3],
    );
    assert.equal(readFileSync(path.join(out, 'three.pdf')).subarray(0, 5).toString(), '%PDF-');
    assert.match(readFileSync(path.join(out, 'three.txt'), 'utf8'), /Progress page two[\s\S]*Progress page three/);
    const bad = spawnSync(process.execPath, [CLI, '--format', 'docx', pdf], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format must be one of txt, json, md, html, csv, hocr, alto, pdf/);
  });

  it('formats the bar with rate and ETA', () => {
    assert.equal(barLine('f.pdf', 1, 4, 2, 8), 'f.pdf [##......]  25% 1/4 pages  0.50 pages/s  ETA 6s');
    assert.equal(barLine('f.pdf', 0, 4, 0, 8), 'f.pdf [........]   0% 0/4 pages  0.00 pages/s  ETA ?');
    assert.match(barLine('f.pdf', 10, 400, 100, 8), /ETA 1h05m$/);
  });
});
