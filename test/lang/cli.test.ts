// `ocr --lang`: the page's language and set in --json, accents restored on the bundled set, a
// clear message (exit 2) for a language whose set is not downloaded or a code that is not one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { ROOT } from '../../src/models/manifest.js';
import { textImage } from '../helper.js';

const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ocr-cli-lang-'));
const env = { ...process.env, OCR_LANG: '', OCR_MODELS_DIR: tmp };
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, '--threads', '1', ...args], { encoding: 'utf8', env });
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('ocr --lang', () => {
  it('restores accents and reports the language; --no-diacritics keeps the raw reading', async () => {
    const file = path.join(tmp, 'fr.png');
    writeFileSync(
      file,
      await textImage(
        ['Chaque developpeur doit etre', 'capable de travailler avec le', 'systeme de suivi des bogues.'],
        'png',
        640,
      ),
    );
    const r = run('--json', '--lang', 'fr', file);
    assert.equal(r.status, 0, r.stderr);
    const page = JSON.parse(r.stdout).pages[0];
    assert.equal(page.language, 'fr');
    assert.equal(page.model_set, 'pp-ocrv6-tiny');
    assert.match(page.text, /être/);
    const auto = JSON.parse(run('--json', file).stdout).pages[0];
    assert.equal(auto.language, 'fr');
    const raw = run('--lang', 'fr', '--no-diacritics', file);
    assert.doesNotMatch(raw.stdout, /être/);
  });

  it('exits 2 naming the download command or the bad code', () => {
    const ko = run('--lang', 'ko', path.join(tmp, 'none.png'));
    assert.equal(ko.status, 2);
    assert.match(ko.stderr, /npm run models:download -- pp-ocrv5-korean/);
    const bad = run('--lang', 'qq', path.join(tmp, 'none.png'));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unsupported language "qq"/);
  });
});
