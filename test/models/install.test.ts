// Setup's model installer (src/models/install.ts): from ../shared/models when it is there, else the
// official URLs, here served by a local HTTP server holding the same files under the official hosts'
// paths (no real network in tests). Also the start-up check of installed files.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ModelDownloadError, sha256File } from '../../src/models/download.js';
import { DEFAULT_SHARED_DIR, installModelSet, installedSets } from '../../src/models/install.js';
import { checkInstalled, loadManifest } from '../../src/models/manifest.js';

const SHARED = process.env.OCR_SHARED_MODELS || DEFAULT_SHARED_DIR;
const skip = existsSync(SHARED) ? false : `${SHARED} is absent`;
if (skip) console.log(`# skipped: ${skip}`);
const m = loadManifest();

// Official URL path (host + path) -> the shared file with the same content (or an accepted variant).
const served = new Map<string, string>();
for (const set of installedSets()) {
  for (const f of Object.values(m.sets[set]!.files)) {
    if (!f.url || !f.shared) continue;
    const u = new URL(f.url);
    // The only extracted dictionary of these sets is the tiny recognizer's (its official inference.yml).
    const file = f.extract
      ? path.join(SHARED, 'pp-ocrv6-tiny', 'PP-OCRv6_tiny_rec_inference.yml')
      : path.join(SHARED, f.shared);
    served.set(`/${u.host}${u.pathname}`, file);
  }
}

let server: http.Server;
let base = '';
const hits: string[] = [];
let corrupt = '';
before(async () => {
  server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(p);
    const file = served.get(p);
    if (!file || !existsSync(file)) return void res.writeHead(404).end('not found');
    const body = readFileSync(file);
    if (p === corrupt) body[body.length >> 1] ^= 0xff;
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'ocr-install-test-'));
const noShared = path.join(os.tmpdir(), 'ocr-install-test-no-shared');

describe('installModelSet', { skip }, () => {
  test('setup installs the default and Cyrillic sets', () => {
    assert.deepEqual(installedSets(), ['pp-ocrv6-tiny', 'pp-ocrv5-eslav', 'pp-ocrv5-cyrillic']);
  });

  test('without ../shared/models: downloads every file from the official URLs (through the mirror), verified; a second run fetches nothing', async () => {
    const root = tmp();
    try {
      hits.length = 0;
      for (const set of installedSets())
        await installModelSet(set, { sharedDir: noShared, baseUrl: base, modelsRoot: root });
      // det + rec + the tiny recognizer's inference.yml (its dictionary), then rec + dict per Cyrillic set.
      assert.deepEqual(hits, [
        '/huggingface.co/PaddlePaddle/PP-OCRv6_tiny_det_onnx/resolve/main/inference.onnx',
        '/huggingface.co/PaddlePaddle/PP-OCRv6_tiny_rec_onnx/resolve/main/inference.onnx',
        '/huggingface.co/PaddlePaddle/PP-OCRv6_tiny_rec_onnx/resolve/main/inference.yml',
        '/www.modelscope.cn/models/RapidAI/RapidOCR/resolve/v3.9.2/onnx/PP-OCRv5/rec/eslav_PP-OCRv5_rec_mobile.onnx',
        '/www.modelscope.cn/models/RapidAI/RapidOCR/resolve/v3.9.2/paddle/PP-OCRv5/rec/eslav_PP-OCRv5_rec_mobile/ppocrv5_eslav_dict.txt',
        '/www.modelscope.cn/models/RapidAI/RapidOCR/resolve/v3.9.2/onnx/PP-OCRv5/rec/cyrillic_PP-OCRv5_rec_mobile.onnx',
        '/www.modelscope.cn/models/RapidAI/RapidOCR/resolve/v3.9.2/paddle/PP-OCRv5/rec/cyrillic_PP-OCRv5_rec_mobile/ppocrv5_cyrillic_dict.txt',
      ]);
      // The dictionary taken from the inference.yml is byte-identical to the shared one.
      assert.equal(
        await sha256File(path.join(root, 'pp-ocrv6-tiny', 'ppocrv6_tiny_dict.txt')),
        m.sets['pp-ocrv6-tiny']!.files.dict.sha256,
      );
      for (const set of installedSets())
        checkInstalled(set, m.sets[set]!, path.join(root, (m.sets[set]!.source as { dir: string }).dir));
      hits.length = 0;
      for (const set of installedSets())
        await installModelSet(set, { sharedDir: noShared, baseUrl: base, modelsRoot: root });
      assert.deepEqual(hits, []);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a corrupted download is refused and leaves no file', async () => {
    const root = tmp();
    try {
      corrupt = '/huggingface.co/PaddlePaddle/PP-OCRv6_tiny_det_onnx/resolve/main/inference.onnx';
      await assert.rejects(
        installModelSet('pp-ocrv6-tiny', { sharedDir: noShared, baseUrl: base, modelsRoot: root }),
        (e: ModelDownloadError) => e.code === 'HASH_MISMATCH',
      );
      assert.equal(existsSync(path.join(root, 'pp-ocrv6-tiny', 'PP-OCRv6_tiny_det.onnx')), false);
    } finally {
      corrupt = '';
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('with ../shared/models: copies from there, no network', async () => {
    const root = tmp();
    try {
      hits.length = 0;
      const how: string[] = [];
      await installModelSet('pp-ocrv6-tiny', {
        sharedDir: SHARED,
        baseUrl: base,
        modelsRoot: root,
        onEvent: (e) => how.push(`${e.name}:${e.how}`),
      });
      assert.deepEqual(hits, []);
      assert.deepEqual(how, [
        'PP-OCRv6_tiny_det.onnx:shared',
        'PP-OCRv6_tiny_rec.onnx:shared',
        'ch_ppocr_mobile_v2.0_cls_infer.onnx:npm',
        'ppocrv6_tiny_dict.txt:shared',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('start-up check: a missing or wrong file names the command that installs it', () => {
    const root = tmp();
    try {
      const set = m.sets['pp-ocrv6-tiny']!;
      const dir = path.join(root, 'pp-ocrv6-tiny');
      mkdirSync(dir);
      assert.throws(
        () => checkInstalled('pp-ocrv6-tiny', set, dir),
        /PP-OCRv6_tiny_det\.onnx \(det of model set "pp-ocrv6-tiny"\) is missing; run: \.\/scripts\/setup\.sh/,
      );
      copyFileSync(
        path.join(SHARED, 'pp-ocrv6-tiny', 'PP-OCRv6_tiny_det.onnx'),
        path.join(dir, 'PP-OCRv6_tiny_det.onnx'),
      );
      writeFileSync(path.join(dir, 'PP-OCRv6_tiny_rec.onnx'), 'not a model');
      assert.throws(
        () => checkInstalled('pp-ocrv6-tiny', set, dir),
        /PP-OCRv6_tiny_rec\.onnx \(rec of model set "pp-ocrv6-tiny"\) is not one the manifest accepts \(11 bytes\); run: \.\/scripts\/setup\.sh/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
