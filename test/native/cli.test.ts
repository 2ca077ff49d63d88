import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';

import { ROOT } from '../../src/models/manifest.js';
import { renderLines } from './render.js';

const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('ocr CLI', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'ocr-cli-'));

  it('prints the text of an image file', async () => {
    const img = await renderLines(['Command line recognition works'], { fontSize: 36 });
    const file = path.join(tmp, 'line.png');
    await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
      .png()
      .toFile(file);
    const r = run(file);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'Command line recognition works');

    const j = run('--json', file);
    assert.equal(j.status, 0, j.stderr);
    const parsed = JSON.parse(j.stdout);
    assert.equal(parsed.file, file);
    assert.equal(parsed.pages[0].lines[0].text, 'Command line recognition works');
    assert.equal(parsed.pages[0].lines[0].bbox.length, 4);
  });

  it('--format md: the same Markdown as the API, from the laid-out page', async () => {
    const { renderPage, lines } = await import('../layout/page.js');
    const file = path.join(tmp, 'md.png');
    writeFileSync(
      file,
      await renderPage(
        [
          { text: 'Command Line', x: 40, y: 80, size: 68 },
          ...lines(['The command line reads this', 'paragraph as one line'], 40, 170, 30, 42),
        ],
        700,
        280,
      ),
    );
    const r = run('--format', 'md', '--lang', 'en', file);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '# Command Line\n\nThe command line reads this paragraph as one line\n');
    const j = JSON.parse(run('--json', '--lang', 'en', file).stdout);
    assert.deepEqual(
      j.pages[0].blocks.map((b: { type: string }) => b.type),
      ['heading', 'text'],
    );
  });

  it('reports an unsupported file on stderr with exit code 1 and goes on with the others', () => {
    const bad = path.join(tmp, 'notes.txt');
    writeFileSync(bad, 'plain text');
    const r = run(bad, path.join(tmp, 'line.png'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /notes\.txt: not a supported image or PDF/);
    assert.match(r.stdout, /Command line recognition works/);
  });

  it('--orientation: an upside-down page is read upright by default and says rotation 180; off reads it as it lies', async () => {
    const { renderPage, lines } = await import('../layout/page.js');
    const text = ['The command line turns this page', 'upright before it reads the lines'];
    const file = path.join(tmp, 'upside.png');
    writeFileSync(
      file,
      await sharp(await renderPage(lines(text, 40, 80, 30, 44), 620, 170))
        .rotate(180)
        .png()
        .toBuffer(),
    );
    const j = run('--json', '--lang', 'en', file);
    assert.equal(j.status, 0, j.stderr);
    const page = JSON.parse(j.stdout).pages[0];
    assert.equal(page.rotation, 180);
    assert.deepEqual(
      page.lines.map((l: { text: string }) => l.text),
      text,
    );
    const off = JSON.parse(run('--json', '--orientation', 'off', '--lang', 'en', file).stdout).pages[0];
    assert.equal(off.rotation, undefined);
    assert.notDeepEqual(
      off.lines.map((l: { text: string }) => l.text),
      text,
    );
    const bad = run('--orientation', 'sideways', file);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--orientation must be auto or off, got sideways/);
  });

  it('prints usage without files', () => {
    const r = run();
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Usage: ocr <files\.\.\.>/);
  });
});
