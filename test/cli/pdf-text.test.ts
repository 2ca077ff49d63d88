// `ocr --pdf-text`: the CLI reads a PDF page's own text by default, OCRs it with `ocr`, and refuses a bad mode.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { ROOT } from '../../src/models/manifest.js';
import { textPdf } from '../pdf/fixtures.js';

const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const run = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('ocr --pdf-text', () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'ocr-pdf-text-')), 'doc.pdf');

  it('auto (default) answers from the text; ocr recognizes; PDF_TEXT sets the default', async () => {
    writeFileSync(file, await textPdf(['Words from the file']));
    const auto = run({}, '--json', '--dpi', '150', file);
    assert.equal(auto.status, 0, auto.stderr);
    const a = JSON.parse(auto.stdout).pages[0];
    assert.deepEqual([a.source, a.text, a.width, a.lines[0].confidence], ['pdf', 'Words from the file', 625, 1]);
    const ocr = run({}, '--json', '--dpi', '150', '--pdf-text', 'ocr', file);
    assert.equal(ocr.status, 0, ocr.stderr);
    const o = JSON.parse(ocr.stdout).pages[0];
    assert.deepEqual([o.source, o.text_layer], ['ocr', 'usable']);
    assert.match(o.text, /Words from the file/i);
    const env = run({ PDF_TEXT: 'ocr' }, '--json', '--dpi', '150', file);
    assert.equal(JSON.parse(env.stdout).pages[0].source, 'ocr');
  });

  it('a bad mode is exit code 2 naming the option', () => {
    const r = run({}, '--pdf-text', 'sometimes', file);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--pdf-text must be auto, ocr or force/);
  });
});
