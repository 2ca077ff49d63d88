// Metrics in Redis mode with the API and a worker process apart: the worker serves its own
// /metrics on METRICS_PORT (jobs, pages, stage timings), the API reports the shared BullMQ queue
// and the cache lookups made at submission.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import parsePrometheusTextFormat from 'parse-prometheus-text-format';

import { freePort, submit, textImage } from '../helper.js';
import { series } from '../routes/metrics-helper.js';
import { type ApiProc, type Proc, baseEnv, result, startApi, startWorker } from './procs.js';
import { RedisServer } from './redis-server.js';

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.ok(parsePrometheusTextFormat(text).length > 10, 'the exposition parses');
  return text;
}
const value = (text: string, name: string, labels: Record<string, string>) =>
  series(text, name).find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value ?? 0;

describe('metrics of a worker process and an API-only replica', () => {
  let redis: RedisServer;
  let api: ApiProc;
  let worker: Proc;
  let workerMetrics: string;

  before(async () => {
    redis = await RedisServer.start();
    api = await startApi(baseEnv(redis.url, { WORKER_IN_PROCESS: 'false' }));
    const port = await freePort();
    worker = await startWorker(baseEnv(redis.url, { METRICS_PORT: String(port) }));
    workerMetrics = `http://127.0.0.1:${port}/metrics`;
  });
  after(async () => {
    await Promise.all([api, worker].filter(Boolean).map((p) => p.kill('SIGKILL')));
    await redis?.stop();
  });

  it('the worker counts the job it ran; the API counts the submission and reports the queue', async () => {
    const png = await textImage('Worker metrics 7');
    const res = await submit(api.base, png, { filename: 'test.png' });
    assert.equal(res.status, 202);
    const body = await result(api.base, ((await res.json()) as { job_id: string }).job_id);
    assert.equal(body.status, 'completed');

    const w = await scrape(workerMetrics);
    assert.equal(value(w, 'ocr_jobs_total', { kind: 'image', status: 'completed', role: 'worker' }), 1);
    assert.equal(value(w, 'ocr_pages_total', { status: 'ok' }), 1);
    assert.equal(value(w, 'ocr_page_stage_seconds_count', { stage: 'rec' }), 1);
    assert.equal(value(w, 'ocr_pool_threads', {}), 1);
    assert.equal((await fetch(workerMetrics.replace('/metrics', '/other'))).status, 404);

    const a = await scrape(`${api.base}/metrics`);
    assert.equal(value(a, 'ocr_cache_requests_total', { result: 'miss' }), 1);
    assert.equal(value(a, 'ocr_jobs_total', { kind: 'image', status: 'completed' }), 0, 'the API ran no OCR');
    assert.equal(series(a, 'ocr_queue_jobs').length, 2, 'queued and processing, from BullMQ');
    assert.equal(value(a, 'ocr_pool_threads', {}), 0);
  });
});
