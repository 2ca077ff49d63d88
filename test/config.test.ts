import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConfigError, loadConfig } from '../src/config.js';

test('defaults are the seed service defaults', () => {
  const c = loadConfig({});
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.port, 5000);
  // 'auto' (was 'en'): the same bundled model set, and each page's language is detected so that
  // accents are restored on French, Polish... pages without the client naming the language.
  assert.equal(c.lang, 'auto');
  assert.equal(c.restoreDiacritics, true);
  assert.equal(c.useGpu, false);
  assert.equal(c.maxContentLength, 52428800);
  assert.equal(c.maxImageWidth, 10_000);
  assert.equal(c.maxImageHeight, 10_000);
  assert.equal(c.maxPdfPages, 100);
  assert.equal(c.defaultDpi, 300);
  assert.equal(c.maxDpi, 600);
  assert.equal(c.requestTimeout, 300);
  assert.equal(c.logLevel, 'info');
  assert.equal(c.rateLimitPerMinute, 60);
  assert.equal(c.waitMax, 60);
  assert.equal(c.resultTtl, 3600);
  assert.equal(c.cacheTtl, 3600);
  assert.equal(c.trustProxy, false);
  assert.ok(c.workers >= 1);
});

test('LOG_LEVEL accepts upper case and Python names', () => {
  assert.equal(loadConfig({ LOG_LEVEL: 'INFO' }).logLevel, 'info');
  assert.equal(loadConfig({ LOG_LEVEL: 'WARNING' }).logLevel, 'warn');
  assert.equal(loadConfig({ LOG_LEVEL: 'Debug' }).logLevel, 'debug');
});

test('values are converted from strings', () => {
  const c = loadConfig({
    PORT: '8080',
    USE_GPU: 'TRUE',
    OCR_WORKERS: '3',
    TRUST_PROXY: '1',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  assert.equal(c.port, 8080);
  assert.equal(c.useGpu, true);
  assert.equal(c.workers, 3);
  assert.equal(c.trustProxy, 1);
  assert.equal(c.rateLimitPerMinute, 0);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy, '10.0.0.0/8');
});

test('workers default to one per CPU, one ONNX Runtime thread each, without spinning', async () => {
  const cpus = (await import('node:os')).availableParallelism();
  const auto = loadConfig({});
  assert.equal(auto.threadsPerWorker, 1);
  assert.equal(auto.workers, cpus);
  assert.equal(auto.spinning, false);
  const two = loadConfig({ OCR_THREADS_PER_WORKER: '2' });
  assert.deepEqual([two.workers, two.threadsPerWorker], [Math.max(1, Math.floor(cpus / 2)), 2]);
  assert.deepEqual(
    [loadConfig({ OCR_WORKERS: '3' }).workers, loadConfig({ OCR_THREADS_PER_WORKER: '0' }).threadsPerWorker],
    [3, auto.threadsPerWorker],
  );
});

test('with USE_GPU: one feeder thread per CPU (at most 16) of one thread each, on OCR_GPU_DEVICE', async () => {
  const cpus = (await import('node:os')).availableParallelism();
  const gpu = loadConfig({ USE_GPU: 'true', OCR_GPU_DEVICE: '3' });
  assert.deepEqual([gpu.workers, gpu.threadsPerWorker, gpu.gpuDevice, gpu.spinning], [Math.min(16, cpus), 1, 3, false]);
  assert.equal(loadConfig({}).gpuDevice, 0);
  assert.deepEqual(
    [
      loadConfig({ USE_GPU: 'true', OCR_WORKERS: '4' }).workers,
      loadConfig({ USE_GPU: 'true', OCR_THREADS_PER_WORKER: '2' }).threadsPerWorker,
    ],
    [4, 2],
  );
  assert.throws(() => loadConfig({ OCR_GPU_DEVICE: '-1' }), /OCR_GPU_DEVICE/);
});

test('intra-op spinning: on only for one CPU worker with several threads, unless set', () => {
  assert.equal(loadConfig({ OCR_WORKERS: '1', OCR_THREADS_PER_WORKER: '2' }).spinning, true);
  assert.equal(loadConfig({ OCR_WORKERS: '2', OCR_THREADS_PER_WORKER: '1' }).spinning, false);
  assert.equal(loadConfig({ OCR_WORKERS: '1', OCR_THREADS_PER_WORKER: '1' }).spinning, false);
  assert.equal(loadConfig({ OCR_WORKERS: '1', OCR_THREADS_PER_WORKER: '2', USE_GPU: 'true' }).spinning, false);
  assert.equal(loadConfig({ OCR_WORKERS: '1', OCR_THREADS_PER_WORKER: '2', OCR_SPINNING: 'false' }).spinning, false);
  assert.equal(loadConfig({ OCR_WORKERS: '4', OCR_SPINNING: 'true' }).spinning, true);
  assert.throws(() => loadConfig({ OCR_SPINNING: 'sometimes' }), /OCR_SPINNING/);
});

test('invalid values stop start-up with a message naming the variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'abc' }),
    (e: Error) => e instanceof ConfigError && /PORT/.test(e.message) && /"abc"/.test(e.message),
  );
  assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
  assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
  assert.throws(() => loadConfig({ USE_GPU: 'maybe' }), /USE_GPU/);
  assert.throws(() => loadConfig({ MAX_DPI: '50' }), /MAX_DPI/);
  assert.throws(() => loadConfig({ DEFAULT_DPI: '700' }), /DEFAULT_DPI/);
  assert.throws(() => loadConfig({ OCR_THREADS_PER_WORKER: '-1' }), /OCR_THREADS_PER_WORKER/);
  assert.throws(() => loadConfig({ MAX_CONTENT_LENGTH: '1.5' }), /MAX_CONTENT_LENGTH/);
});

test('every variable of the schema is listed in env.example', async () => {
  const { readFileSync } = await import('node:fs');
  const { EnvSchema } = await import('../src/config.js');
  const example = readFileSync(new URL('../../env.example', import.meta.url), 'utf8');
  for (const name of Object.keys(EnvSchema.properties)) assert.match(example, new RegExp(`^#? ?${name}=`, 'm'), name);
});

test('model folder and classifier come from OCR_MODELS_DIR and OCR_USE_CLASSIFIER', () => {
  const c = loadConfig({ OCR_MODELS_DIR: '/srv/models', OCR_USE_CLASSIFIER: 'yes' });
  assert.equal(c.modelsDir, '/srv/models');
  assert.equal(c.useClassifier, true);
  assert.equal(loadConfig({}).useClassifier, false);
  assert.throws(() => loadConfig({ OCR_USE_CLASSIFIER: 'maybe' }), /OCR_USE_CLASSIFIER/);
});

test('time limits: REQUEST_TIMEOUT is the HTTP one; jobs have PAGE_TIMEOUT and a JOB_TIMEOUT sized for the largest document', () => {
  const c = loadConfig({});
  assert.deepEqual(
    [c.requestTimeout, c.headersTimeout, c.pageTimeout, c.jobTimeout, c.maxTiffPages, c.pdfRenderMemoryMb],
    [300, 20, 120, 2000, 100, 1024],
  );
  assert.equal(loadConfig({ MAX_PDF_PAGES: '500' }).jobTimeout, 10_000);
  assert.equal(loadConfig({ MAX_PDF_PAGES: '5', MAX_TIFF_PAGES: '5' }).jobTimeout, 600);
  assert.equal(loadConfig({ JOB_TIMEOUT: '90' }).jobTimeout, 90);
  assert.throws(
    () => loadConfig({ HEADERS_TIMEOUT: '60', REQUEST_TIMEOUT: '30' }),
    /HEADERS_TIMEOUT must not exceed REQUEST_TIMEOUT/,
  );
  assert.throws(() => loadConfig({ PAGE_TIMEOUT: '0' }), /PAGE_TIMEOUT/);
  assert.throws(() => loadConfig({ PDF_RENDER_MEMORY_MB: '4096' }), /PDF_RENDER_MEMORY_MB/);
  assert.throws(() => loadConfig({ MAX_TIFF_PAGES: 'many' }), /MAX_TIFF_PAGES/);
});

test('metrics and API key settings', () => {
  const c = loadConfig({});
  assert.equal(c.metricsEnabled, true);
  assert.equal(c.metricsPort, 9464);
  assert.deepEqual(c.apiKeyHashes, []);
  assert.deepEqual(c.apiKeysOpen, { health: true, metrics: true });
  assert.equal(loadConfig({ METRICS_ENABLED: 'off' }).metricsEnabled, false);
  assert.deepEqual(loadConfig({ API_KEYS_OPEN: 'metrics' }).apiKeysOpen, { health: false, metrics: true });
  assert.deepEqual(loadConfig({ API_KEYS_OPEN: 'none' }).apiKeysOpen, { health: false, metrics: false });
  assert.throws(
    () => loadConfig({ METRICS_PORT: '70000' }),
    (e: Error) => e instanceof ConfigError && /METRICS_PORT/.test(e.message),
  );
  assert.throws(() => loadConfig({ METRICS_ENABLED: 'maybe' }), /METRICS_ENABLED/);
});

test('OCR_LANG is checked at start-up; OCR_RESTORE_DIACRITICS is a boolean', () => {
  assert.equal(loadConfig({ OCR_LANG: 'FR' }).lang, 'FR');
  assert.throws(
    () => loadConfig({ OCR_LANG: 'klingon!' }),
    (e: unknown) => e instanceof ConfigError && /OCR_LANG/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ OCR_LANG: 'qq' }),
    (e: unknown) => e instanceof ConfigError && /Unsupported language "qq" for OCR_LANG/.test(e.message),
  );
  // Tesseract's codes and + combinations, as the request's `lang` takes them.
  assert.equal(loadConfig({ OCR_LANG: 'eng' }).lang, 'eng');
  assert.equal(loadConfig({ OCR_LANG: 'eng+deu' }).lang, 'eng+deu');
  assert.throws(
    () => loadConfig({ OCR_LANG: 'eng+qq' }),
    (e: unknown) => e instanceof ConfigError && /Unsupported language "qq" for OCR_LANG/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ OCR_LANG: 'auto+deu' }),
    (e: unknown) => e instanceof ConfigError && /"auto" cannot be combined.*OCR_LANG/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ OCR_LANG: 'eng+' }),
    (e: unknown) => e instanceof ConfigError && /up to 5 joined by "\+"/.test(e.message),
  );
  assert.equal(loadConfig({ OCR_RESTORE_DIACRITICS: 'false' }).restoreDiacritics, false);
  assert.throws(() => loadConfig({ OCR_RESTORE_DIACRITICS: 'sometimes' }), /OCR_RESTORE_DIACRITICS/);
});

test('OCR_ORIENTATION is auto by default, off on request, and nothing else', () => {
  assert.equal(loadConfig({}).orientation, 'auto');
  assert.equal(loadConfig({ OCR_ORIENTATION: 'OFF' }).orientation, 'off');
  assert.throws(() => loadConfig({ OCR_ORIENTATION: 'sideways' }), /OCR_ORIENTATION/);
});
