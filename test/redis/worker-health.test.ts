// The queue worker's health probes (METRICS_PORT): /health/ready follows Redis (not ready while it
// is gone, ready again when it returns) and SIGTERM (draining); /health/alive fails while the OCR
// threads have work and finish no page within STALL_TIMEOUT. Real worker and API processes, a
// real redis-server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { freePort, submit } from '../helper.js';
import { lines, renderPage } from '../layout/page.js';
import { type ApiProc, type Proc, baseEnv, result, startApi, startWorker, untilProcessing } from './procs.js';
import { RedisServer } from './redis-server.js';

async function probe(url: string): Promise<{ code: number; body: { status: string; message?: string } }> {
  const res = await fetch(url);
  return { code: res.status, body: (await res.json()) as { status: string; message?: string } };
}

/** Polls `url` until `want` holds for its answer; returns that answer. */
async function until(
  url: string,
  want: (a: Awaited<ReturnType<typeof probe>>) => boolean,
  timeoutMs: number,
  every = 100,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const a = await probe(url);
    if (want(a)) return a;
    assert.ok(Date.now() < deadline, `${url} still answers ${a.code} ${JSON.stringify(a.body)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, every));
  }
}

describe('worker health probes', () => {
  let redis: RedisServer;
  const procs: Proc[] = [];
  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    await redis?.stop();
  });

  it('ready with Redis; not ready within seconds when Redis goes, ready again when it returns; alive throughout', async () => {
    const port = await freePort();
    const worker = await startWorker(baseEnv(redis.url, { METRICS_PORT: String(port) }));
    procs.push(worker);
    const base = `http://127.0.0.1:${port}`;
    assert.deepEqual(await probe(`${base}/health/ready`), { code: 200, body: { status: 'ready' } });
    assert.deepEqual(await probe(`${base}/health/alive`), { code: 200, body: { status: 'alive' } });
    assert.equal((await fetch(`${base}/health/other`)).status, 404);

    await redis.stop();
    const down = await until(`${base}/health/ready`, (a) => a.code === 503, 10_000);
    assert.deepEqual(down.body, { status: 'not ready', message: 'Redis is unreachable' });
    assert.equal((await probe(`${base}/health/alive`)).code, 200, 'Redis away is not a reason to restart the worker');

    await redis.start();
    await until(`${base}/health/ready`, (a) => a.code === 200, 20_000);
  });

  it('not alive while the OCR threads have work and finish no page within STALL_TIMEOUT; alive again after; not ready while draining', async () => {
    const port = await freePort();
    const env = baseEnv(redis.url, { REDIS_PREFIX: `wh${process.pid}` });
    const api: ApiProc = await startApi({ ...env, WORKER_IN_PROCESS: 'false' });
    procs.push(api);
    const worker = await startWorker({ ...env, METRICS_PORT: String(port), STALL_TIMEOUT: '1', SHUTDOWN_GRACE: '60' });
    procs.push(worker);
    const base = `http://127.0.0.1:${port}`;
    // One dense page (120 lines) on one thread takes several seconds: past a 1 s STALL_TIMEOUT the
    // pool looks exactly like one whose thread is wedged.
    const text = Array.from(
      { length: 120 },
      (_, i) => `Line ${i + 1} of a long page that keeps one OCR thread busy for a while`,
    );
    const png = await renderPage(lines(text, 40, 40, 18, 22), 1100, 2700);
    const first = await submit(api.base, png, { filename: 'test.png' });
    assert.equal(first.status, 202);
    const stalled = await until(`${base}/health/alive`, (a) => a.code === 503, 30_000, 50);
    assert.equal(stalled.body.status, 'not alive');
    assert.match(stalled.body.message!, /without finishing a page \(STALL_TIMEOUT 1 s\)/);
    const done = await result(api.base, ((await first.json()) as { job_id: string }).job_id, 60_000);
    assert.equal(done.success, true);
    assert.deepEqual(
      await probe(`${base}/health/alive`),
      { code: 200, body: { status: 'alive' } },
      'alive again once the page finished',
    );

    // SIGTERM while a page runs: the worker finishes it, and reports not ready meanwhile.
    // (Another page: the same bytes would come from the result cache without OCR.)
    const png2 = await renderPage(
      lines(
        text.map((t) => t.replace('Line', 'Row')),
        40,
        40,
        18,
        22,
      ),
      1100,
      2700,
    );
    const second = await submit(api.base, png2, { filename: 'test.png' });
    const id = ((await second.json()) as { job_id: string }).job_id;
    await untilProcessing(api.base, id);
    worker.child.kill('SIGTERM');
    const draining = await until(`${base}/health/ready`, (a) => a.code === 503, 5_000, 50);
    assert.match(draining.body.message!, /draining/);
    assert.equal((await result(api.base, id, 60_000)).success, true);
    assert.equal(await worker.exited, 0);
  });
});
