// DELETE of a job while its pages run (memory mode, and Redis mode in the second pass of
// scripts/run-tests.mjs): 204, the record gone at once, and the pages after those in flight never
// processed. Another API key's job answers 404 like an unknown one. The default rate limit (60
// submissions a minute) through the route.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { build, multiPage, submit, submitJob, TEST_ENV, textImage } from '../../helper.js';
import { sample, scrape } from '../metrics-helper.js';

const PAGES = Array.from({ length: 30 }, (_, i) => `Page ${i + 1} of a job deleted while running`);
const KEY_A = 'delete-test-key-a-0123456789';
const KEY_B = 'delete-test-key-b-0123456789';

const pagesProcessed = async (app: FastifyInstance) => {
  const e = await scrape(app);
  return sample(e, 'ocr_pages_total', { status: 'ok' }) + sample(e, 'ocr_pages_total', { status: 'failed' });
};

/** Submits the 30-page TIFF; returns once two pages are done, with the time one page took. */
async function submitRunning(app: FastifyInstance): Promise<{ id: string; msPerPage: number }> {
  const id = await submitJob(app, await multiPage(PAGES, 'tiff'), { filename: 'pages.tiff' });
  const deadline = Date.now() + 60_000;
  let firstPageAt = 0;
  for (;;) {
    const s = (await app.inject({ method: 'GET', url: `/ocr/job/${id}` })).json();
    assert.notEqual(s.status, 'completed', 'the job finished before it could be deleted; use more pages');
    if (s.status === 'processing' && s.progress.pages_done >= 1 && !firstPageAt) firstPageAt = Date.now();
    if (s.status === 'processing' && s.progress.pages_done >= 2) return { id, msPerPage: Date.now() - firstPageAt };
    assert.ok(Date.now() < deadline, 'the job did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('DELETE of a running job', () => {
  it('answers 204, the job is gone, and its later pages are never processed', async (t) => {
    const app = await build(t);
    const { id, msPerPage } = await submitRunning(app);
    const del = await app.inject({ method: 'DELETE', url: `/ocr/job/${id}` });
    assert.equal(del.statusCode, 204, del.body);
    const atDelete = await pagesProcessed(app);
    assert.equal((await app.inject({ method: 'GET', url: `/ocr/job/${id}` })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: `/ocr/job/${id}/result` })).statusCode, 404);
    // Long enough for six more pages had the job gone on (the Redis worker sees the deletion when
    // its page ends and checks the record).
    await new Promise((r) => setTimeout(r, Math.min(30_000, Math.max(2000, 6 * msPerPage))));
    const later = await pagesProcessed(app);
    // At most the page in flight when the DELETE came (one OCR thread; two for the Redis check lag).
    assert.ok(later - atDelete <= 2, `${later - atDelete} pages processed after the DELETE`);
    assert.ok(later < PAGES.length, `only ${later} of ${PAGES.length} pages processed`);
    assert.equal((await app.inject({ method: 'GET', url: `/ocr/job/${id}` })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url: `/ocr/job/${id}` })).statusCode, 404, 'a second DELETE');
  });

  it("another API key's job is a 404, and stays there", async (t) => {
    const app = await build(t, { API_KEYS: `${KEY_A},${KEY_B}` });
    const res = await submit(app, await textImage('Owned by key A'), {
      url: '/ocr/image?wait=30',
      filename: 'k.png',
      headers: { 'x-api-key': KEY_A },
    });
    assert.equal(res.statusCode, 200, res.body);
    const id = res.json().job_id;
    const other = await app.inject({ method: 'DELETE', url: `/ocr/job/${id}`, headers: { 'x-api-key': KEY_B } });
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().code, 'not_found');
    assert.equal(
      (await app.inject({ method: 'GET', url: `/ocr/job/${id}`, headers: { 'x-api-key': KEY_A } })).statusCode,
      200,
      'the owner still has it',
    );
    assert.equal(
      (await app.inject({ method: 'DELETE', url: `/ocr/job/${id}`, headers: { 'x-api-key': KEY_A } })).statusCode,
      204,
    );
  });
});

describe('default rate limit', () => {
  it('60 submissions a minute: the 61st is a 429 with its code', async (t) => {
    // TEST_ENV turns the limit off for the other tests; here the shipped default applies.
    const { RATE_LIMIT_PER_MINUTE: _, ...env } = TEST_ENV;
    const config = loadConfig(env);
    assert.equal(config.rateLimitPerMinute, 60);
    const app = await buildApp(config, { logger: false });
    t.after(() => app.close());
    await app.ready();
    const png = await textImage('Rate');
    const first = await submit(app, png, { filename: 'r.png' });
    assert.equal(first.statusCode, 202, first.body);
    assert.equal(first.headers['x-ratelimit-limit'], '60');
    // The other 59 as bodiless submissions (400): they count against the limit all the same, and cost no OCR.
    for (let i = 2; i <= 60; i++) {
      const r = await app.inject({ method: 'POST', url: '/ocr/image' });
      assert.notEqual(r.statusCode, 429, `submission ${i} limited`);
    }
    const limited = await submit(app, png, { filename: 'r.png' });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().code, 'rate_limited');
    assert.match(limited.json().message, /Limit: 60 per minute/);
  });
});
