// `lang` and `diacritics` on the submission routes: validation, the model set chosen, accents
// restored on the bundled model, the page's `language` in results, the download command named
// when a language's set is missing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import { PDFDocument, StandardFonts } from 'pdf-lib';

import { loadManifest } from '../../../src/models/manifest.js';
import { build, submit, submitJob, textImage, waitForResult } from '../../helper.js';

let app: FastifyInstance;
const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'ocr-lang-models-'));

/** The page's filename is 'page' on every submission here. */
async function result(url: string, data: Buffer) {
  const r = await waitForResult(app, await submitJob(app, data, { url, filename: 'page' }), 60_000);
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
}

const FRENCH = ['Chaque developpeur doit etre', 'capable de travailler avec le', 'systeme de suivi des bogues.'];

before(async () => {
  // No downloaded set here: French falls back to the bundled PP-OCRv4 with accents restored.
  app = await build(null, { OCR_MODELS_DIR: modelsDir });
});
after(async () => {
  await app.close();
  rmSync(modelsDir, { recursive: true, force: true });
});

describe('lang on the submission routes', () => {
  it('rejects garbage and unknown languages with a 400 naming lang', async () => {
    const png = await textImage('hello');
    for (const bad of ['%3Cscript%3E', 'xx', 'fr;ls']) {
      const res = await submit(app, png, { url: `/ocr/image?lang=${bad}`, filename: 'page' });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error, 'Bad Request');
      assert.match(res.json().message, /lang/);
    }
    const res = await submit(app, png, { url: '/ocr/image?diacritics=maybe', filename: 'page' });
    assert.equal(res.statusCode, 400, res.body);
  });

  it('a language whose model set is not downloaded is a 422 naming the command, on every route', async () => {
    const png = await textImage('hello');
    for (const url of ['/ocr/image?lang=ko', '/ocr/pdf?lang=hi', '/ocr/batch?lang=ar']) {
      const res = await submit(app, png, {
        url,
        field: url.startsWith('/ocr/batch') ? 'files' : 'file',
        filename: 'page',
      });
      assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
      assert.match(res.json().message, /run: npm run models:download -- pp-ocrv5-(korean|devanagari|arabic)/);
    }
  });

  it('lang=auto: a Russian page is read by the Cyrillic set and says ru; an English one stays on the default set', async () => {
    const RUSSIAN = ['Съешь же ещё этих мягких', 'французских булок, да выпей', 'же чаю. Документация Debian.'];
    const ru = await result('/ocr/image', await textImage(RUSSIAN, 'png', 640));
    assert.equal(ru.model_set, 'pp-ocrv5-cyrillic');
    assert.equal(ru.language, 'ru');
    assert.match(ru.text, /французских булок/);
    const en = await result(
      '/ocr/image',
      await textImage(['The quick brown fox jumps', 'over the lazy dog again.'], 'png', 640),
    );
    assert.equal(en.model_set, 'pp-ocrv6-tiny');
    assert.equal(en.language, 'en');
  });

  it('lang=auto: a mostly English page with Russian lines keeps both readable', async () => {
    const MIXED = [
      'The chfn command changes user fullname,',
      'office room number and phone number.',
      'изменяет информацию о пользователе',
      'This information is typically printed',
      'by finger and similar programs.',
      'Показать справочное сообщение',
    ];
    const r = await result('/ocr/image', await textImage(MIXED, 'png', 760));
    assert.equal(r.model_set, 'pp-ocrv5-cyrillic');
    assert.match(r.text, /изменяет информацию/);
    assert.match(r.text, /справочное сообщение/);
    assert.match(r.text, /typically printed/);
  });

  it('lang=uk and lang=bg: the Cyrillic set reads them, the page says the language asked for', async () => {
    const uk = await result(
      '/ocr/image?lang=uk',
      await textImage(['Документація українською мовою', 'є цілком зрозумілою.'], 'png', 640),
    );
    assert.equal(uk.model_set, 'pp-ocrv5-cyrillic');
    assert.equal(uk.language, 'uk');
    assert.match(uk.text, /українською/);
    const bg = await result(
      '/ocr/image?lang=bg',
      await textImage(['Това е кратко въведение', 'в системата за набор.'], 'png', 640),
    );
    assert.equal(bg.model_set, 'pp-ocrv5-cyrillic');
    assert.equal(bg.language, 'bg');
  });

  it('lang=fr: the bundled PP-OCRv6 set reads it, accents missing from the image restored, page says fr', async () => {
    const png = await textImage(FRENCH, 'png', 640);
    const r = await result('/ocr/image?lang=fr', png);
    assert.equal(r.language, 'fr');
    assert.equal(r.model_set, 'pp-ocrv6-tiny');
    assert.match(r.text, /être/);
    assert.match(r.text, /système/);
    const off = await result('/ocr/image?lang=fr&diacritics=false', png);
    assert.doesNotMatch(off.text, /être|système/);
    assert.equal(off.language, 'fr');
  });

  it('without lang the language is detected and reported; English text is left as read', async () => {
    const fr = await result('/ocr/image', await textImage(FRENCH, 'png', 640));
    assert.equal(fr.language, 'fr');
    assert.match(fr.text, /être/);
    const en = await result(
      '/ocr/image',
      await textImage(['Several suites are used to provide', 'stable release packages to users'], 'png', 640),
    );
    assert.equal(en.language, 'en');
    assert.match(en.text, /Several suites are used/);
  });

  it('the OpenAPI document lists lang and diacritics on the three routes, language on results', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const route of ['/ocr/image', '/ocr/pdf', '/ocr/batch']) {
      const names = (doc.paths[route].post.parameters ?? [])
        .filter((p: { in: string }) => p.in === 'query')
        .map((p: { name: string }) => p.name);
      assert.ok(names.includes('lang') && names.includes('diacritics'), `${route}: ${names.join(', ')}`);
    }
    assert.match(JSON.stringify(doc.paths['/ocr/job/{job_id}/result']), /model_set/);
  });

  it('each PDF page carries its language and model set', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([420, 200]);
    FRENCH.forEach((l, i) => page.drawText(l, { x: 20, y: 160 - i * 30, size: 18, font }));
    // pdf_text=ocr: the page carries its own text, which would be taken as is (no model set).
    const r = await result('/ocr/pdf?lang=fr&dpi=150&pdf_text=ocr', Buffer.from(await doc.save()));
    assert.equal(r.pages[0].language, 'fr');
    assert.equal(r.pages[0].model_set, 'pp-ocrv6-tiny');
    assert.match(r.pages[0].text, /être/);
  });

  it('a set whose files are present but broken fails that job with a clear message; the service goes on', async () => {
    const set = loadManifest().sets['pp-ocrv5-th']!;
    const dir = path.join(modelsDir, 'pp-ocrv5-th');
    mkdirSync(dir, { recursive: true });
    for (const f of Object.values(set.files)) writeFileSync(path.join(dir, f.name), Buffer.alloc(f.size ?? 64));
    const res = await submit(app, await textImage('hello'), { url: '/ocr/image?lang=th', filename: 'page' });
    assert.equal(res.statusCode, 202, res.body);
    const r = await waitForResult(app, res.json().job_id, 60_000);
    assert.equal(r.statusCode, 422, r.body);
    assert.match(r.json().message, /OCR failed on this page/);
    const en = await result('/ocr/image?lang=en', await textImage(['The service still reads English'], 'png', 640));
    assert.match(en.text, /still reads English/);
  });
});

describe('language post-processing thread', () => {
  it('the OCR thread reads the next page while a page waits on its dictionary', async (t) => {
    // One OCR thread. The Polish page's accents need the pl dictionary, loaded on its first use
    // (0.7 s here). When post-processing ran on the OCR thread, the English page after it could
    // not start its engine run before the Polish page was done: it finished a whole engine run
    // later (600 ms here); now its engine runs while the Polish page waits on its dictionary.
    const one = await build(t, {
      OCR_WORKERS: '1',
      OCR_THREADS_PER_WORKER: '1',
      OCR_LANG: 'auto',
      OCR_MODELS_DIR: modelsDir,
    });
    const send = (data: Buffer) => submitJob(one, data, { filename: 'page' });
    const finish = async (id: string) => {
      const r = await waitForResult(one, id, 60_000);
      assert.equal(r.statusCode, 200, r.body);
      return { at: performance.now(), page: r.json() };
    };
    // Three different pages of the same size (the same file twice would come from the result cache).
    const englishPage = (n: number) =>
      textImage(
        Array.from({ length: 6 }, (_, i) => `Several suites are used to provide release ${n}${i}`),
        'png',
        900,
      );
    await finish(await send(await englishPage(1))); // warms the engine up, loads the English dictionary
    const page2 = await englishPage(2);
    const t0 = performance.now();
    const alone = await finish(await send(page2));
    const englishMs = alone.at - t0;
    const polish = await send(
      await textImage(
        [
          'Kazdy uzytkownik moze zmienic ustawienia',
          'w pliku konfiguracyjnym, a nastepnie',
          'nalezy uruchomic program ponownie.',
        ],
        'png',
        640,
      ),
    );
    const english = await send(await englishPage(3));
    const [pl, en] = await Promise.all([finish(polish), finish(english)]);
    assert.equal(pl.page.language, 'pl');
    assert.match(pl.page.text, /Każdy użytkownik/);
    assert.match(pl.page.text, /następnie/);
    assert.match(en.page.text, /Several suites are used to provide release 30/);
    const gap = en.at - pl.at;
    assert.ok(
      gap < englishMs / 2,
      `the English page finished ${gap.toFixed(0)} ms after the Polish one; alone it takes ${englishMs.toFixed(0)} ms`,
    );
  });
});
