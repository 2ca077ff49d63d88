// The model downloader against a local HTTP server that serves the bundled PP-OCRv4 files:
// verification, skipping, corrupt and missing files, timeouts, and the engine loading the result.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import sharp from 'sharp';

import {
  type DownloadSetSpec,
  ModelDownloadError,
  downloadModelSet,
  extractCharacterDict,
  fileUrl,
  modelSetStatus,
  sha256File,
} from '../../src/models/download.js';
import { ROOT, loadManifest, modelSetDir, resolveModelSet } from '../../src/models/manifest.js';
import { createEngine } from '../../src/native/engine.js';

const ASSETS = modelSetDir('pp-ocrv4');
const bundled = loadManifest().sets['pp-ocrv4']!;
const NAMES = {
  det: bundled.files.det.name,
  rec: bundled.files.rec.name,
  cls: bundled.files.cls!.name,
  dict: bundled.files.dict.name,
};

let server: http.Server;
let base = '';
const hits: string[] = [];

/** A set definition whose files are the bundled ones, served from `${base}${prefix}`. */
function testSet(prefix = '/assets', over: Partial<DownloadSetSpec['files']> = {}): DownloadSetSpec {
  const files: DownloadSetSpec['files'] = {};
  for (const role of ['det', 'rec', 'cls', 'dict'] as const) {
    const f = bundled.files[role]!;
    files[role] = { name: f.name, sha256: f.sha256, size: statSync(path.join(ASSETS, f.name)).size };
  }
  return { source: { url: base + prefix }, files: { ...files, ...over } };
}

function tmpDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'ocr-models-test-'));
}

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname);
    const [, route, name = ''] = url.pathname.split('/');
    const file = path.join(ASSETS, path.basename(name));
    if (route === 'redirect') {
      res.writeHead(302, { location: `/assets/${name}` }).end();
      return;
    }
    if (route === 'stall') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(10));
      return; // never ends
    }
    if (!['assets', 'corrupt'].includes(route ?? '') || !name || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = readFileSync(file);
    if (route === 'corrupt') body[Math.floor(body.length / 2)] ^= 0xff;
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

describe('downloadModelSet', () => {
  const dir = tmpDir();
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('downloads, verifies, then skips files already present', async () => {
    const set = testSet();
    hits.length = 0;
    const first = await downloadModelSet('test-v4', { set, modelsDir: dir });
    assert.deepEqual(
      first.map((f) => [f.role, f.status, f.verified]),
      [
        ['det', 'downloaded', true],
        ['rec', 'downloaded', true],
        ['cls', 'downloaded', true],
        ['dict', 'downloaded', true],
      ],
    );
    for (const f of first) {
      assert.equal(f.path, path.join(dir, 'test-v4', f.name));
      assert.deepEqual(readFileSync(f.path), readFileSync(path.join(ASSETS, f.name)));
    }
    assert.equal(hits.length, 4);
    // No temporary files left next to the models.
    assert.deepEqual(readdirSync(path.join(dir, 'test-v4')).sort(), Object.values(NAMES).sort());
    assert.equal(modelSetStatus('test-v4', { set, modelsDir: dir }).present, true);

    hits.length = 0;
    const second = await downloadModelSet('test-v4', { set, modelsDir: dir });
    assert.deepEqual(
      second.map((f) => f.status),
      ['present', 'present', 'present', 'present'],
    );
    assert.equal(hits.length, 0, 'nothing is fetched the second time');
  });

  test('replaces a present file whose hash is wrong', async () => {
    const set = testSet();
    const dict = path.join(dir, 'test-v4', NAMES.dict);
    writeFileSync(dict, 'garbage\n');
    const res = await downloadModelSet('test-v4', { set, modelsDir: dir });
    assert.equal(res.find((f) => f.role === 'dict')!.status, 'downloaded');
    assert.deepEqual(readFileSync(dict), readFileSync(path.join(ASSETS, NAMES.dict)));
  });

  test('rejects a corrupted byte with a hash mismatch and leaves no file behind', async () => {
    const d = tmpDir();
    try {
      const set = testSet('/corrupt');
      await assert.rejects(downloadModelSet('bad', { set, modelsDir: d }), (err: ModelDownloadError) => {
        assert.equal(err.code, 'HASH_MISMATCH');
        assert.match(
          err.message,
          new RegExp(`sha256 mismatch for ${NAMES.det} from ${base}/corrupt/.*expected [0-9a-f]{64}, got [0-9a-f]{64}`),
        );
        return true;
      });
      assert.deepEqual(readdirSync(path.join(d, 'bad')), []);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('a 404 gives a clear HTTP error', async () => {
    const d = tmpDir();
    try {
      const set = testSet('/assets', { dict: { name: 'no-such-dict.txt', sha256: 'a'.repeat(64) } });
      await assert.rejects(downloadModelSet('missing', { set, modelsDir: d }), (err: ModelDownloadError) => {
        assert.equal(err.code, 'HTTP');
        assert.match(
          err.message,
          /^Download of http:\/\/127\.0\.0\.1:\d+\/assets\/no-such-dict\.txt failed: HTTP 404 Not Found$/,
        );
        return true;
      });
      // The files fetched before the failure are complete and stay; nothing partial is left.
      assert.deepEqual(readdirSync(path.join(d, 'missing')).sort(), [NAMES.cls, NAMES.det, NAMES.rec].sort());
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('follows redirects, and a mirror (baseUrl or OCR_MODELS_BASE_URL) replaces the source', async () => {
    const d = tmpDir();
    const saved = process.env.OCR_MODELS_BASE_URL;
    try {
      const set = { ...testSet(), source: { url: 'http://127.0.0.1:9/unreachable' } };
      const dictOnly = { ...set, files: { dict: set.files.dict } } as DownloadSetSpec;
      const viaOption = await downloadModelSet('mirror', { set: dictOnly, modelsDir: d, baseUrl: `${base}/redirect` });
      assert.equal(viaOption[0]!.status, 'downloaded');
      rmSync(path.join(d, 'mirror'), { recursive: true });
      process.env.OCR_MODELS_BASE_URL = `${base}/assets/`;
      const viaEnv = await downloadModelSet('mirror', { set: dictOnly, modelsDir: d });
      assert.equal(viaEnv[0]!.status, 'downloaded');
    } finally {
      if (saved === undefined) delete process.env.OCR_MODELS_BASE_URL;
      else process.env.OCR_MODELS_BASE_URL = saved;
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('a stalled transfer times out and leaves nothing', async () => {
    const d = tmpDir();
    try {
      const set = testSet('/stall');
      await assert.rejects(
        downloadModelSet('slow', { set, modelsDir: d, timeoutMs: 300 }),
        (err: ModelDownloadError) => err.code === 'TIMEOUT' && /stalled: no data for 300 ms/.test(err.message),
      );
      assert.deepEqual(readdirSync(path.join(d, 'slow')), []);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('refuses a file without sha256 unless allowUnverified', async () => {
    const d = tmpDir();
    try {
      const set = testSet();
      const dictOnly: DownloadSetSpec = { ...set, files: { dict: { ...set.files.dict!, sha256: null } } };
      await assert.rejects(
        downloadModelSet('unverified', { set: dictOnly, modelsDir: d }),
        (err: ModelDownloadError) =>
          err.code === 'UNVERIFIED' &&
          /No sha256 is recorded for ppocr_keys_v1\.txt.*--allow-unverified/.test(err.message),
      );
      assert.equal(existsSync(path.join(d, 'unverified', NAMES.dict)), false);
      const res = await downloadModelSet('unverified', { set: dictOnly, modelsDir: d, allowUnverified: true });
      assert.equal(res[0]!.verified, false);
      assert.equal(res[0]!.sha256, bundled.files.dict.sha256);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('rejects names that would escape the models folder', async () => {
    const set = testSet();
    await assert.rejects(downloadModelSet('../x', { set, modelsDir: dir }), /Invalid model set name/);
    const evil: DownloadSetSpec = { ...set, files: { dict: { name: '../evil.txt', sha256: 'a'.repeat(64) } } };
    await assert.rejects(downloadModelSet('evil', { set: evil, modelsDir: dir }), /Invalid file name/);
  });
});

describe('manifest download entries', () => {
  const m = loadManifest();
  const downloadable = Object.entries(m.sets).filter(([, s]) => 'url' in s.source);

  test('PP-OCRv5 server, mobile and English mobile sets are listed with verified files', () => {
    for (const name of ['pp-ocrv5-mobile', 'pp-ocrv5-mobile-en', 'pp-ocrv5-server']) {
      assert.ok(
        downloadable.some(([n]) => n === name),
        `${name} is a downloadable set`,
      );
    }
    for (const [name, set] of downloadable) {
      assert.equal(set.recHeight, 48, name);
      for (const f of Object.values(set.files)) {
        // A file read from an npm package (the v2.0 classifier of PP-OCRv6 small/medium) has no URL.
        if (f.npm) continue;
        assert.match(f.url ?? '', /^https:\/\//, `${name} ${f.name} url`);
        assert.match(f.sha256, /^[0-9a-f]{64}$/, `${name} ${f.name} sha256`);
        // Sizes where published (RapidOCR lists hashes, not sizes, for most multilingual recognizers).
        if (f.size !== undefined) assert.ok(Number.isInteger(f.size) && f.size > 0, `${name} ${f.name} size`);
      }
    }
    assert.equal(m.sets['pp-ocrv5-mobile']!.files.dict.name, 'ppocrv5_dict.txt');
    assert.equal(m.sets['pp-ocrv5-server']!.files.dict.name, 'ppocrv5_dict.txt');
    assert.equal(m.sets['pp-ocrv5-mobile-en']!.files.dict.name, 'ppocrv5_en_dict.txt');
    assert.equal(m.languages.en, 'pp-ocrv6-tiny');
    assert.equal(m.languages.ch, 'pp-ocrv6-tiny');
  });

  test('PP-OCRv6: tiny installed by setup as the default, small and medium from PaddlePaddle with the official hashes', async () => {
    assert.equal(m.default, 'pp-ocrv6-tiny');
    const tiny = m.sets['pp-ocrv6-tiny']!;
    assert.deepEqual(tiny.source, { dir: 'pp-ocrv6-tiny' });
    // Setup installed every file with a size and hash the manifest accepts: nothing to download at start.
    const r = resolveModelSet('pp-ocrv6-tiny');
    assert.equal(r.bundled, true);
    for (const role of ['det', 'rec', 'cls', 'dict'] as const) {
      const f = tiny.files[role]!;
      const at = r[role]!;
      const want = f.npm ? path.join(ROOT, 'node_modules', f.npm) : path.join(ROOT, 'models', 'pp-ocrv6-tiny', f.name);
      assert.equal(at, want);
      const sha = await sha256File(at);
      const variant = [{ sha256: f.sha256, size: f.size }, ...(f.variants ?? [])].find((v) => v.sha256 === sha);
      assert.ok(variant, `${f.name}: sha256 ${sha} is not one the manifest accepts`);
      assert.equal(statSync(at).size, variant.size, f.name);
    }
    // The official files' published hashes (the float32 recognizer; the float16 copy is a variant).
    assert.equal(tiny.files.det.sha256, '193bab7a04fca699a6c82e6abb5b81bdb28177f0abd4062552b04908dafb19f8');
    assert.equal(tiny.files.rec.sha256, '9ef676d6ed3c88256a2d92c640c44f25b0c40947e111b14b8be8f594091563e6');
    assert.equal(
      tiny.files.rec.url,
      'https://huggingface.co/PaddlePaddle/PP-OCRv6_tiny_rec_onnx/resolve/main/inference.onnx',
    );
    for (const lang of ['en', 'ch', 'fr', 'de', 'es', 'it', 'pt', 'pl', 'cs', 'nl', 'tr'])
      assert.equal(m.languages[lang], 'pp-ocrv6-tiny', lang);
    const official = {
      small: {
        det: ['d73e0058b7a8086bbd57f3d10b8bcd4ff95363f67e06e2762b5e814fe9c9410e', 9_880_512],
        rec: ['5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634', 21_159_378],
      },
      medium: {
        det: ['eb13b44b25bb36f89528b68720af8a61d9cf381176107f465db1757b65d086e1', 62_032_837],
        rec: ['9c09abf0957f7968c7586464b7397b84ad2387a0497a351af40e9acc71b673ba', 76_554_979],
      },
    } as const;
    for (const [tier, files] of Object.entries(official)) {
      const set = m.sets[`pp-ocrv6-${tier}`]!;
      assert.deepEqual(set.source, { url: 'https://huggingface.co/PaddlePaddle' });
      for (const role of ['det', 'rec'] as const) {
        assert.equal(
          set.files[role].url,
          `https://huggingface.co/PaddlePaddle/PP-OCRv6_${tier}_${role}_onnx/resolve/main/inference.onnx`,
        );
        assert.equal(set.files[role].sha256, files[role][0]);
        assert.equal(set.files[role].size, files[role][1]);
      }
      // The dictionary is the character_dict of the recognizer's inference.yml.
      assert.equal(
        set.files.dict.url,
        `https://huggingface.co/PaddlePaddle/PP-OCRv6_${tier}_rec_onnx/resolve/main/inference.yml`,
      );
      assert.ok(set.files.dict.extract);
    }
  });

  test('a dictionary taken from an inference.yml: plain and quoted entries, verified against the manifest', async () => {
    const ymlPath = path.join(ROOT, '..', 'shared', 'models', 'pp-ocrv6-tiny', 'PP-OCRv6_tiny_rec_inference.yml');
    if (!existsSync(ymlPath)) {
      console.log(`# skipped: ${ymlPath} is absent`);
      return;
    }
    const dict = extractCharacterDict(readFileSync(ymlPath, 'utf8'));
    assert.equal(createHash('sha256').update(dict).digest('hex'), m.sets['pp-ocrv6-tiny']!.files.dict.sha256);
    assert.equal(
      extractCharacterDict("a:\n  character_dict:\n  - '!'\n  - ''''\n  - b\n  - 日\nnext: 1\n"),
      "!\n'\nb\n日\n",
    );
    assert.throws(() => extractCharacterDict('PostProcess:\n  name: CTC\n'), /No character_dict/);
  });

  test('multilingual PP-OCRv5 recognizers, each language mapped to its set', () => {
    const latin = m.sets['pp-ocrv5-latin']!;
    assert.equal(latin.files.rec.name, 'latin_PP-OCRv5_rec_mobile.onnx');
    assert.equal(latin.files.rec.sha256, 'b20bd37c168a570f583afbc8cd7925603890efbcdc000a59e22c269d160b5f5a');
    assert.equal(latin.files.rec.size, 7_904_513);
    assert.equal(latin.files.dict.name, 'ppocrv5_latin_dict.txt');
    assert.equal(latin.readsAccents, true);
    // Latin languages (and Vietnamese: no runnable set reads its stacked accents) map to PP-OCRv6 tiny.
    for (const lang of ['fr', 'pl', 'cs']) assert.ok(latin.languages.includes(lang), lang);
    assert.equal(m.languages.vi, 'pp-ocrv6-tiny');
    for (const [lang, set] of Object.entries({
      ru: 'cyrillic',
      uk: 'cyrillic',
      be: 'cyrillic',
      bg: 'cyrillic',
      sr: 'cyrillic',
      ko: 'korean',
      ar: 'arabic',
      hi: 'devanagari',
      th: 'th',
      el: 'el',
      te: 'te',
      ta: 'ta',
    })) {
      assert.equal(m.languages[lang], `pp-ocrv5-${set}`, lang);
      const s = m.sets[`pp-ocrv5-${set}`]!;
      assert.ok(s.languages.includes(lang), `${set} lists ${lang}`);
      assert.equal(s.files.rec.name, `${set}_PP-OCRv5_rec_mobile.onnx`);
      assert.equal(s.files.dict.name, `ppocrv5_${set}_dict.txt`);
      // The Cyrillic sets run with the tiny detector that setup installs; the others with the v5 mobile one.
      assert.equal(s.files.det.name, set === 'cyrillic' ? 'PP-OCRv6_tiny_det.onnx' : 'ch_PP-OCRv5_det_mobile.onnx');
    }
  });

  test('a mirror keeps the path under the source URL', () => {
    const set = m.sets['pp-ocrv5-mobile']! as DownloadSetSpec;
    assert.equal(
      fileUrl(set, set.files.det!, 'http://mirror.local/rapidocr/'),
      'http://mirror.local/rapidocr/onnx/PP-OCRv5/det/ch_PP-OCRv5_det_mobile.onnx',
    );
    assert.equal(fileUrl(set, set.files.det!), set.files.det!.url);
  });

  test('a set not downloaded yet names the command that fetches it', async () => {
    const d = tmpDir();
    try {
      assert.throws(
        () => resolveModelSet('pp-ocrv5-mobile', d),
        /not downloaded .*run: npm run models:download -- pp-ocrv5-mobile/,
      );
      await assert.rejects(
        createEngine({ model: 'pp-ocrv5-mobile', modelsDir: d }),
        /not downloaded .*run: npm run models:download -- pp-ocrv5-mobile/,
      );
      assert.deepEqual(modelSetStatus('pp-ocrv5-mobile', { modelsDir: d }).missing.length, 4);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('downloaded set in the engine', () => {
  const dir = tmpDir();
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the engine loads the downloaded files and reads a rendered line', async () => {
    const files = await downloadModelSet('test-v4', { set: testSet(), modelsDir: dir });
    const at = Object.fromEntries(files.map((f) => [f.role, f.path])) as Record<'det' | 'rec' | 'cls' | 'dict', string>;
    for (const p of Object.values(at)) assert.ok(p.startsWith(path.join(dir, 'test-v4') + path.sep));
    const engine = await createEngine({ models: { ...at, recHeight: 48 } });
    assert.equal(engine.hasClassifier, true);

    const text = 'Downloaded models 2024';
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="120">
      <rect width="100%" height="100%" fill="white"/>
      <text x="30" y="75" font-family="DejaVu Sans" font-size="40" fill="black">${text}</text></svg>`;
    const { data, info } = await sharp(Buffer.from(svg))
      .flatten({ background: '#fff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const res = await engine.recognize({ data, width: info.width, height: info.height, channels: info.channels });
    // Word spacing is the engine's own business (tested with it); here the characters must all be read.
    assert.deepEqual(
      res.lines.map((l) => l.text.replace(/\s+/g, '')),
      [text.replace(/\s+/g, '')],
    );
    assert.ok(res.lines[0]!.confidence > 0.8, `confidence ${res.lines[0]!.confidence}`);
  });
});

describe('scripts/download-models.mjs', () => {
  const script = path.join(ROOT, 'scripts', 'download-models.mjs');

  test('--list prints every set and whether it is present', () => {
    const d = tmpDir();
    try {
      const r = spawnSync(process.execPath, [script, '--list', '--dir', d], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^pp-ocrv6-tiny +installed default OCR_LANG=\S*\ben\b/m);
      assert.match(r.stdout, /^pp-ocrv4 +bundled {2}\[ch, en\]/m);
      assert.match(
        r.stdout,
        /^pp-ocrv6-small +missing \(PP-OCRv6_small_det\.onnx, PP-OCRv6_small_rec\.onnx, ppocrv6_dict\.txt\)/m,
      );
      assert.match(r.stdout, /^pp-ocrv5-mobile +missing \(ch_PP-OCRv5_det_mobile\.onnx, /m);
      assert.match(r.stdout, /^pp-ocrv5-server +missing/m);
      assert.match(r.stdout, /^pp-ocrv5-mobile-en +missing/m);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('a failed download exits non-zero with the reason', async () => {
    const d = tmpDir();
    try {
      // A mirror that has none of the files: the first request gets a 404. Asynchronous, since
      // the server answering it runs in this process.
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [script, 'pp-ocrv5-mobile-en', '--dir', d, '--base-url', `${base}/nothing`],
          (err, _out, stderr) => resolve({ code: err ? (err.code as number) : 0, stderr }),
        );
      });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /pp-ocrv5-mobile-en: Download of .*\/nothing\/onnx\/PP-OCRv5\/det\/ch_PP-OCRv5_det_mobile\.onnx failed: HTTP 404/,
      );
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test('unknown sets and missing arguments are usage errors', () => {
    assert.equal(spawnSync(process.execPath, [script], { encoding: 'utf8' }).status, 2);
    const r = spawnSync(process.execPath, [script, 'nope'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /Unknown model set "nope"; known: pp-ocrv6-tiny, pp-ocrv6-small, pp-ocrv6-medium, pp-ocrv4, /,
    );
  });
});
