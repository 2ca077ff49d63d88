import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { textPdf } from '../pdf/fixtures.js';
import { build, submitJob, textImage, waitForResult } from '../helper.js';
import { sample, scrape, series } from './metrics-helper.js';

describe('GET /metrics', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await build(null);
  });
  after(() => app.close());

  it('exports the default process metrics and every ocr_* family in a parseable exposition', async () => {
    const e = await scrape(app);
    const { families } = e;
    const names = new Set(families.map((f) => f.name));
    for (const n of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'ocr_jobs_total',
      'ocr_pages_total',
      'ocr_job_duration_seconds',
      'ocr_page_stage_seconds',
      'ocr_queue_jobs',
      'ocr_pool_utilization',
      'ocr_cache_requests_total',
      'ocr_http_requests_total',
      'ocr_http_request_duration_seconds',
    ]) {
      assert.ok(names.has(n), `${n} is exported`);
    }
    assert.equal(families.find((f) => f.name === 'ocr_page_stage_seconds')!.type, 'HISTOGRAM');
    assert.equal(families.find((f) => f.name === 'ocr_jobs_total')!.type, 'COUNTER');
    const pool = sample(e, 'ocr_pool_utilization');
    assert.ok(pool >= 0 && pool <= 1);
  });

  it('counts an image job, its pages and stage timings, then a cache hit', async () => {
    const png = await textImage('Metrics count this image');
    const id = await submitJob(app, png, { filename: 'm.png' });
    assert.equal((await waitForResult(app, id)).statusCode, 200);
    let e = await scrape(app);
    assert.equal(sample(e, 'ocr_jobs_total', { kind: 'image', status: 'completed' }), 1);
    assert.equal(sample(e, 'ocr_pages_total', { status: 'ok' }), 1);
    assert.equal(sample(e, 'ocr_cache_requests_total', { result: 'miss' }), 1);
    assert.equal(sample(e, 'ocr_cache_requests_total', { result: 'hit' }), 0);
    assert.equal(sample(e, 'ocr_job_duration_seconds', { kind: 'image' }), 1);
    for (const stage of ['decode', 'det', 'cls', 'rec', 'ort'])
      assert.equal(sample(e, 'ocr_page_stage_seconds', { stage }), 1, stage);
    assert.equal(sample(e, 'ocr_page_stage_seconds', { stage: 'render' }), 0);
    const det = series(e.text, 'ocr_page_stage_seconds_sum').find((x) => x.labels.stage === 'det')!;
    assert.ok(det.value > 0, 'the detector took measurable time');

    const again = await submitJob(app, png, { filename: 'm.png' });
    assert.equal((await waitForResult(app, again)).json().cached, true);
    e = await scrape(app);
    assert.equal(sample(e, 'ocr_cache_requests_total', { result: 'hit' }), 1);
    assert.equal(sample(e, 'ocr_jobs_total', { kind: 'image', status: 'cached' }), 1);
    assert.equal(sample(e, 'ocr_jobs_total', { kind: 'image', status: 'completed' }), 1, 'a cache hit runs no OCR');
    assert.equal(sample(e, 'ocr_pages_total', { status: 'ok' }), 1);
  });

  it('counts a PDF job with a render timing per page', async () => {
    const id = await submitJob(app, await textPdf(['First metrics page', 'Second metrics page']), {
      url: '/ocr/pdf?dpi=150',
      filename: 'm.pdf',
    });
    assert.equal((await waitForResult(app, id)).statusCode, 200);
    // In Redis mode BullMQ moves the job out of its active list just after the result is stored:
    // the gauge reaches 0 within moments, not necessarily at the first scrape.
    let e = await scrape(app);
    for (let i = 0; i < 40 && sample(e, 'ocr_queue_jobs', { state: 'processing' }) !== 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      e = await scrape(app);
    }
    assert.equal(sample(e, 'ocr_jobs_total', { kind: 'pdf', status: 'completed' }), 1);
    assert.equal(sample(e, 'ocr_page_stage_seconds', { stage: 'render' }), 2);
    assert.equal(sample(e, 'ocr_pages_total', { status: 'ok' }), 3);
    assert.equal(sample(e, 'ocr_queue_jobs', { state: 'queued' }), 0);
    assert.equal(sample(e, 'ocr_queue_jobs', { state: 'processing' }), 0);
  });

  it('labels requests by route template: 1,000 random job ids add no series', async () => {
    const before = series((await scrape(app)).text, 'ocr_http_requests_total').length;
    for (let i = 0; i < 1000; i++) {
      const url = i % 2 ? `/ocr/job/${randomUUID()}` : `/no/such/${randomUUID()}?x=${i}`;
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404);
    }
    const e = await scrape(app);
    const after = series(e.text, 'ocr_http_requests_total').length;
    assert.ok(after <= before + 2, `${after} series after 1,000 requests (was ${before})`);
    assert.doesNotMatch(e.text, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no job id in any label');
    assert.equal(sample(e, 'ocr_http_requests_total', { route: '/ocr/job/:job_id', status: '404' }), 500);
    assert.equal(sample(e, 'ocr_http_requests_total', { route: 'unmatched', status: '404' }), 500);
    assert.equal(
      sample(e, 'ocr_http_request_duration_seconds', { route: '/ocr/job/:job_id', method: 'GET', status: '404' }),
      500,
    );
  });

  it('is not rate limited', async () => {
    const limited = await build(null, { RATE_LIMIT_PER_MINUTE: '1' });
    try {
      for (let i = 0; i < 5; i++)
        assert.equal((await limited.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
    } finally {
      await limited.close();
    }
  });
});

describe('failed jobs and METRICS_ENABLED', () => {
  it('counts a job whose every page fails, with the page failures', async (t) => {
    // One pixel per page: no page of any PDF fits, so every page fails and so does the job.
    const app = await build(t, { MAX_PDF_PAGE_PIXELS: '1' });
    const id = await submitJob(app, await textPdf(['never rendered']), { url: '/ocr/pdf?dpi=72', filename: 'f.pdf' });
    assert.equal((await waitForResult(app, id)).statusCode, 422);
    const e = await scrape(app);
    assert.equal(sample(e, 'ocr_jobs_total', { kind: 'pdf', status: 'failed' }), 1);
    assert.equal(sample(e, 'ocr_jobs_total', { kind: 'pdf', status: 'completed' }), 0);
    assert.equal(sample(e, 'ocr_pages_total', { status: 'failed' }), 1);
  });

  it('METRICS_ENABLED=false removes /metrics', async (t) => {
    const app = await build(t, { METRICS_ENABLED: 'false' });
    assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
  });
});
