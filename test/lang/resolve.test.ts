// Which model set reads a request's language: OCR_MODEL first, the language's own set when
// installed, the bundled set with accents restored for Latin languages, else a 422 naming the
// download command.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { ApiError } from '../../src/errors.js';
import { readsAccents, resolveLanguage } from '../../src/lang/resolve.js';
import { loadManifest } from '../../src/models/manifest.js';

const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'ocr-resolve-'));
after(() => rmSync(modelsDir, { recursive: true, force: true }));
const defaults = { lang: 'auto', model: '', restoreDiacritics: true, modelsDir };

describe('resolveLanguage', () => {
  it('auto and English use the bundled default set', () => {
    assert.deepEqual(resolveLanguage({}, defaults), { lang: 'auto', modelSet: 'pp-ocrv6-tiny', diacritics: true });
    assert.equal(resolveLanguage({ lang: 'en' }, defaults).modelSet, 'pp-ocrv6-tiny');
    assert.equal(resolveLanguage({ lang: 'ch' }, defaults).modelSet, 'pp-ocrv6-tiny');
  });

  it('OCR_MODEL wins over the language', () => {
    assert.equal(
      resolveLanguage({ lang: 'ko' }, { ...defaults, model: 'pp-ocrv5-mobile' }).modelSet,
      'pp-ocrv5-mobile',
    );
  });

  it('Latin languages are read by the bundled PP-OCRv6 tiny set, which reads their accents', () => {
    for (const lang of ['fr', 'pl', 'cs', 'pt-BR', 'ro', 'de', 'tr']) {
      const c = resolveLanguage({ lang }, defaults);
      assert.equal(c.modelSet, 'pp-ocrv6-tiny', lang);
      assert.equal(c.fallback, undefined, lang);
      assert.equal(c.diacritics, true);
    }
    // Vietnamese: no set that runs here reads its stacked accents (the tiny one has ă â đ ê ô, not ơ ư):
    // the manifest maps it to the tiny set itself, the best of those measured, not a fallback.
    const vi = resolveLanguage({ lang: 'vi' }, defaults);
    assert.deepEqual([vi.modelSet, vi.fallback], ['pp-ocrv6-tiny', undefined]);
    assert.equal(resolveLanguage({ lang: 'fr', diacritics: false }, defaults).diacritics, false);
    assert.equal(resolveLanguage({ lang: 'fr' }, { ...defaults, restoreDiacritics: false }).diacritics, false);
  });

  it('Cyrillic languages are read by the Cyrillic set that setup installs', () => {
    for (const lang of ['ru', 'uk', 'be', 'bg', 'sr', 'mk', 'kk', 'mn']) {
      assert.equal(resolveLanguage({ lang }, defaults).modelSet, 'pp-ocrv5-cyrillic', lang);
    }
  });

  it('another script without its set is a 422 naming the download command', () => {
    for (const [lang, set] of [
      ['ko', 'pp-ocrv5-korean'],
      ['ar', 'pp-ocrv5-arabic'],
      ['hi', 'pp-ocrv5-devanagari'],
      ['el', 'pp-ocrv5-el'],
    ]) {
      assert.throws(
        () => resolveLanguage({ lang }, defaults),
        (e: unknown) =>
          e instanceof ApiError && e.statusCode === 422 && e.message.includes(`run: npm run models:download -- ${set}`),
        lang,
      );
    }
  });

  it("the language's own set once its files are in OCR_MODELS_DIR", () => {
    const set = loadManifest().sets['pp-ocrv5-korean']!;
    const dir = path.join(modelsDir, 'pp-ocrv5-korean');
    mkdirSync(dir, { recursive: true });
    // Presence is checked by name and recorded size (hashes are checked by the downloader).
    for (const f of Object.values(set.files)) writeFileSync(path.join(dir, f.name), Buffer.alloc(f.size ?? 1));
    assert.deepEqual(resolveLanguage({ lang: 'ko' }, defaults), {
      lang: 'ko',
      modelSet: 'pp-ocrv5-korean',
      diacritics: true,
    });
    assert.equal(readsAccents('pp-ocrv5-latin'), true);
    assert.equal(readsAccents('pp-ocrv4'), false);
    // PP-OCRv6 tiny reads accents, but restoring the few it misses was measured to help (README).
    assert.equal(readsAccents('pp-ocrv6-tiny'), false);
    assert.equal(readsAccents('pp-ocrv6-small'), true);
  });

  it('garbage in lang or OCR_LANG is a 400 naming which', () => {
    assert.throws(
      () => resolveLanguage({ lang: 'f r' }, defaults),
      (e: unknown) => e instanceof ApiError && e.statusCode === 400 && /for lang/.test(e.message),
    );
    assert.throws(() => resolveLanguage({}, { ...defaults, lang: 'zz' }), /for OCR_LANG/);
  });
});
