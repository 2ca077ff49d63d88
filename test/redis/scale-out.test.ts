// Two API processes and two worker processes on one Redis: jobs, the cache and the rate limit are
// shared; a job submitted to one API is polled from the other.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { norm, submit, textImage } from '../helper.js';
import { type ApiProc, type Proc, baseEnv, result, startApi, startWorker } from './procs.js';
import { RedisServer } from './redis-server.js';

const LIMIT = 6;

describe('scale-out: two APIs, two workers, one Redis', () => {
  let redis: RedisServer;
  let a: ApiProc;
  let b: ApiProc;
  const workers: Proc[] = [];

  before(async () => {
    redis = await RedisServer.start();
    const api = baseEnv(redis.url, { WORKER_IN_PROCESS: 'false', RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    [a, b] = await Promise.all([startApi(api), startApi(api)]);
    workers.push(...(await Promise.all([startWorker(baseEnv(redis.url)), startWorker(baseEnv(redis.url))])));
  });

  after(async () => {
    await Promise.all([a, b, ...workers].filter(Boolean).map((p) => p.kill('SIGKILL')));
    await redis?.stop();
  });

  it('a job submitted to one API is polled from the other; the same file on the other API is a cache hit', async () => {
    const png = await textImage('Shared queue 42');
    const res = await submit(a.base, png, { filename: 'test.png' });
    assert.equal(res.status, 202);
    const { job_id } = (await res.json()) as { job_id: string };
    const body = await result(b.base, job_id);
    assert.equal(body.status, 'completed');
    assert.equal(body.cached, false);
    assert.match(norm(body.text as string), /sharedqueue42/);

    const again = await submit(b.base, png, { filename: 'test.png' });
    assert.equal(again.status, 202);
    const second = await result(a.base, ((await again.json()) as { job_id: string }).job_id);
    assert.equal(second.cached, true);
    assert.equal(second.text, body.text);
  });

  it('several jobs spread over both workers all complete', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      // Two-digit numbers: a lone "0" between words reads as "o" with PP-OCRv6 tiny.
      const res = await submit(i % 2 ? a.base : b.base, await textImage(`Spread ${i + 10} job`), {
        filename: 'test.png',
      });
      assert.equal(res.status, 202);
      ids.push(((await res.json()) as { job_id: string }).job_id);
    }
    for (const [i, id] of ids.entries()) {
      const body = await result(i % 2 ? b.base : a.base, id);
      assert.match(norm(body.text as string), new RegExp(`spread${i + 10}job`));
    }
  });

  it('the rate limit is counted across both APIs', async () => {
    // Same client IP (127.0.0.1) on both replicas: 6 submissions so far in this minute.
    const png = await textImage('limit');
    const res = await submit(a.base, png, { filename: 'test.png' });
    assert.equal(res.status, 429, `expected the 7th submission in a minute to be limited, got ${res.status}`);
    const body = (await res.json()) as { error: string; retry_after: number };
    assert.equal(body.error, 'Rate limit exceeded');
    assert.equal((await submit(b.base, png, { filename: 'test.png' })).status, 429);
    // Polling and health are not limited.
    assert.equal((await fetch(`${b.base}/health/ready`)).status, 200);
  });

  it('/health on an API without in-process workers reports the engine as remote', async () => {
    const h = (await (await fetch(`${a.base}/health`)).json()) as {
      status: string;
      ocr_service: { execution_provider: string };
    };
    assert.equal(h.status, 'healthy');
    assert.match(h.ocr_service.execution_provider, /remote/);
  });
});
