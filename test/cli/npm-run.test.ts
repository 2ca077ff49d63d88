// The README's CLI example redirects stdout to a file: `npm run ocr -- page.png --format hocr >
// page.hocr`. npm writes a "> ocr-service@… ocr" banner on stdout before a run-script unless its
// log level is silent (.npmrc), and that banner used to land in front of the hOCR. Run through a
// real shell and a real npm, as a user types it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { ROOT } from '../../src/models/manifest.js';
import { textImage } from '../helper.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ocr-cli-npm-'));

/** The environment of a user's shell: no npm_* variables inherited from an `npm test` around us. */
function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function sh(command: string) {
  return spawnSync('bash', ['-c', command], { cwd: ROOT, env: userEnv(), encoding: 'utf8', timeout: 180_000 });
}

describe('npm run ocr with stdout redirected', () => {
  const png = path.join(tmp, 'page.png');

  it('writes only the hOCR to the file: npm run ocr -- page.png --format hocr > page.hocr', async () => {
    writeFileSync(png, await textImage(['Redirected output stays clean']));
    const hocr = path.join(tmp, 'page.hocr');
    const r = sh(`npm run ocr -- ${png} --format hocr > ${hocr}`);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(hocr, 'utf8');
    assert.match(
      text,
      /^<\?xml [^>]*\?>\s*<!DOCTYPE html/,
      `the file starts with something else: ${JSON.stringify(text.slice(0, 120))}`,
    );
    assert.doesNotMatch(text, /^> /m, 'npm banner in the file');
    assert.match(text, /class=['"]ocr_page['"]/);
    assert.match(text, /Redirected/);
  });

  it('pipes parseable JSON: npm run ocr -- page.png --format json | consumer', () => {
    const r = sh(
      `npm run ocr -- ${png} --format json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const o=JSON.parse(s);console.log(o.pages[0].text)})"`,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Redirected/);
  });
});
