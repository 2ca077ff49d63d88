// Failures of Redis mode: a worker killed mid-job, Redis gone during submissions, SIGTERM on a
// worker with a job running. Real processes, a real redis-server.
import assert from 'node:assert/strict';
import { type Server, createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';

import { multiPage, norm, submit, textImage } from '../helper.js';
import { type ApiProc, type Proc, baseEnv, result, startApi, startWorker, status, untilProcessing } from './procs.js';
import { RedisServer } from './redis-server.js';

/** A multi-page TIFF: long enough (one page at a time, one thread) to be caught mid-job. */
const longJob = (tag: string) =>
  multiPage(
    ['alpha ' + tag, 'bravo ' + tag, 'charlie ' + tag, 'delta ' + tag, 'echo ' + tag, 'foxtrot ' + tag],
    'tiff',
  );

describe('Redis mode failures', () => {
  let redis: RedisServer;
  let api: ApiProc;
  const procs: Proc[] = [];
  let hooks: Server;
  let hookUrl: string;
  const deliveries: Record<string, number> = {};

  before(async () => {
    redis = await RedisServer.start();
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const id = (JSON.parse(body) as { job_id: string }).job_id;
        deliveries[id] = (deliveries[id] ?? 0) + 1;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hooks.address() as { port: number }).port}/hook`;
    api = await startApi(
      baseEnv(redis.url, { WORKER_IN_PROCESS: 'false', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_SECRET: 's' }),
    );
    procs.push(api);
  });

  after(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    await redis?.stop();
    hooks?.close();
  });

  it('kill -9 of the worker holding a job: another worker completes it, with one result', async () => {
    const first = await startWorker(baseEnv(redis.url, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
    procs.push(first);
    const res = await submit(api.base, await longJob('kill'), {
      filename: 'test.png',
      fields: { callback_url: hookUrl },
    });
    assert.equal(res.status, 202);
    const { job_id } = (await res.json()) as { job_id: string };
    await untilProcessing(api.base, job_id);
    await first.kill('SIGKILL');
    assert.equal((await status(api.base, job_id)).status, 'processing');
    const second = await startWorker(baseEnv(redis.url, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
    procs.push(second);
    const body = await result(api.base, job_id, 60_000);
    assert.equal(body.status, 'completed');
    const pages = body.pages as { page: number; text: string }[];
    assert.deepEqual(
      pages.map((p) => p.page),
      [1, 2, 3, 4, 5, 6],
    );
    assert.match(norm(pages[5].text), /foxtrotkill/);
    // One finished record, so one webhook, even though two workers ran the job.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(deliveries[job_id], 1);
  });

  it('SIGTERM on a worker: it finishes the running job, then exits', async () => {
    const worker = procs.at(-1)!;
    const res = await submit(api.base, await longJob('term'), { filename: 'test.png' });
    const { job_id } = (await res.json()) as { job_id: string };
    await untilProcessing(api.base, job_id);
    const code = await worker.kill('SIGTERM');
    assert.equal(code, 0, worker.logs.slice(-2000));
    const s = await status(api.base, job_id);
    assert.equal(s.status, 'completed', 'the job finished before the worker exited');
  });

  it('Redis down during submissions: 503 within a second, not ready; back by itself when Redis returns', async () => {
    const worker = await startWorker(baseEnv(redis.url));
    procs.push(worker);
    const png = await textImage('Redis returns');
    await redis.stop();

    const t0 = performance.now();
    const res = await submit(api.base, png, { filename: 'test.png' });
    const ms = performance.now() - t0;
    assert.equal(res.status, 503);
    assert.ok(ms < 1000, `503 took ${Math.round(ms)} ms`);
    const body = (await res.json()) as { error: string; message: string };
    assert.equal(body.error, 'Service Unavailable');
    assert.match(body.message, /Redis/);
    assert.ok(res.headers.get('retry-after'));
    const ready = await fetch(`${api.base}/health/ready`);
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as { message: string }).message, /Redis/);

    await redis.start(); // same port, empty (no persistence)
    const deadline = Date.now() + 20_000;
    let again: Response;
    for (;;) {
      again = await submit(api.base, png, { filename: 'test.png' });
      if (again.status === 202) break;
      assert.equal(again.status, 503);
      assert.ok(Date.now() < deadline, 'submissions did not recover within 20 s of Redis returning');
      await new Promise((r) => setTimeout(r, 200));
    }
    const done = await result(api.base, ((await again.json()) as { job_id: string }).job_id, 30_000);
    assert.match(norm(done.text as string), /redisreturns/);
    assert.equal((await fetch(`${api.base}/health/ready`)).status, 200);
  });
});
