// /health, readiness, liveness, /docs, the 404/500 bodies, 503 when the queue is full.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';

import { buildApp } from '../../../src/app.js';
import { build, submit, testConfig } from '../../helper.js';

describe('health', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await build(null);
  });
  after(() => app.close());

  it('GET /health has the seed contract plus queue and workers', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    const h = res.json();
    assert.equal(h.status, 'healthy');
    assert.equal(h.service, 'ocr-service');
    assert.ok(!Number.isNaN(Date.parse(h.timestamp)));
    assert.match(h.version, /^\d+\.\d+\.\d+/);
    assert.equal(h.ocr_service.initialized, true);
    assert.equal(h.ocr_service.engine_available, true);
    assert.equal(h.ocr_service.execution_provider, 'cpu');
    assert.equal(h.ocr_service.gpu_device, null);
    assert.equal(typeof h.workers.spinning, 'boolean');
    for (const k of ['rss', 'vms', 'rss_mb', 'vms_mb', 'percent'])
      assert.equal(typeof h.ocr_service.memory_usage[k], 'number', k);
    assert.ok(h.ocr_service.memory_usage.percent > 0 && h.ocr_service.memory_usage.percent < 100);
    assert.deepEqual(Object.keys(h.checks).sort(), [
      'configuration_loaded',
      'engine_available',
      'memory_usage',
      'ocr_service_initialized',
    ]);
    assert.equal(h.workers.threads, 1);
    assert.equal(h.queue.accepting, true);
    assert.ok(Array.isArray(h.details.recommendations));
  });

  it('ready and alive', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/health/alive' })).json().status, 'alive');
  });

  it('the OpenAPI document is generated from the route schemas and served at /docs', async () => {
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    assert.ok([200, 302].includes(ui.statusCode));
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    assert.ok(doc.openapi.startsWith('3.'));
    for (const p of [
      '/health',
      '/ocr/image',
      '/ocr/pdf',
      '/ocr/batch',
      '/ocr/job/{job_id}',
      '/ocr/job/{job_id}/result',
    ])
      assert.ok(doc.paths[p], p);
    assert.ok(doc.paths['/ocr/pdf'].post.responses['429']);
    assert.ok(doc.paths['/ocr/image'].post.responses['503']);
  });

  it('unknown routes are a 404 with the error body', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope' });
    assert.equal(res.statusCode, 404);
    assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'error', 'message']);
  });
});

describe('errors', () => {
  it('a 500 has a generic body; the details stay in the logs', async (t) => {
    const lines: string[] = [];
    const app = await buildApp(testConfig(), {
      logger: { level: 'error', stream: { write: (l: string) => lines.push(l) } } as never,
    });
    t.after(() => app.close());
    app.get('/boom', async () => {
      throw new Error('secret database password in this message');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    assert.equal(res.statusCode, 500);
    assert.equal(res.json().error, 'Internal Server Error');
    assert.doesNotMatch(res.body, /secret/);
    assert.ok(
      lines.some((l) => l.includes('secret database password') && l.includes(String(res.headers['x-request-id']))),
    );
  });

  it('a full queue is a 503 with Retry-After', async (t) => {
    const app = await build(t, { QUEUE_MAX: '1', OCR_WORKERS: '1' });
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 4; i++) {
      const doc = await PDFDocument.create();
      for (let p = 0; p < 3; p++) doc.addPage([612, 792]).drawText(`Page ${i} ${p}`, { x: 50, y: 700, size: 20 });
      // pdf_text=ocr: pages with their own text would be done before the queue could fill.
      const res = await submit(app, Buffer.from(await doc.save()), {
        url: '/ocr/pdf?dpi=300&pdf_text=ocr',
        filename: `q${i}.pdf`,
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 503) {
        retryAfter = res.headers['retry-after'] as string;
        assert.equal(res.json().error, 'Service Unavailable');
        assert.match(res.json().message, /queue is full/);
      }
    }
    assert.deepEqual(statuses.slice(0, 2), [202, 202]);
    assert.ok(statuses.includes(503), String(statuses));
    assert.match(String(retryAfter), /^\d+$/);
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(ready.statusCode, 503);
  });
});
