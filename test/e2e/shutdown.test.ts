// Shutdown of the real server process (dist/src/server.js): during SHUTDOWN_GRACE the listener stays
// open, submissions get 503 `shutting_down` with Retry-After, /health/ready fails, and a client
// polling its running job still gets its status and, once done, its result; the process then exits 0.
// A second signal during the grace (more than a second after the first) exits at once with 128 +
// the signal's number.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';

import { multiPage, submit, submitJob, textImage } from '../helper.js';
import { type ServerProc, startServerProcess } from './server-proc.js';

const GRACE_S = 60;
const ENV = {
  OCR_WORKERS: '1',
  OCR_THREADS_PER_WORKER: '1',
  RATE_LIMIT_PER_MINUTE: '0',
  SHUTDOWN_GRACE: String(GRACE_S),
  LOG_LEVEL: 'info',
};
// Enough one-line pages that the job is still running when the signal comes (a few seconds here).
const PAGES = Array.from({ length: 48 }, (_, i) => `Page number ${i + 1} of the shutdown test`);

let server: ServerProc | undefined;
after(() => server?.proc.kill('SIGKILL'));

/** Submits the multi-page TIFF and returns its id once a page of it is done (the job is running). */
async function runningJob(base: string): Promise<string> {
  const id = await submitJob(base, await multiPage(PAGES, 'tiff'), { filename: 'pages.tiff' });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = (await (await fetch(`${base}/ocr/job/${id}`)).json()) as {
      status: string;
      progress: { pages_done: number };
    };
    assert.equal(s.status === 'completed', false, 'the job finished before the test could signal; use more pages');
    if (s.status === 'processing' && s.progress.pages_done >= 1) return id;
    assert.ok(Date.now() < deadline, 'the job did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('shutdown of the server process', () => {
  it('keeps answering polls during the grace, refuses submissions with 503, then exits 0', async () => {
    server = await startServerProcess(ENV);
    const { base, proc } = server;
    const id = await runningJob(base);
    const exited = once(proc, 'exit');
    proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));

    const post = await submit(base, await textImage('Too late'), { filename: 'late.png' });
    assert.equal(post.status, 503);
    assert.ok(Number(post.headers.get('retry-after')) > 0, 'Retry-After is set');
    const body = (await post.json()) as { code: string; error: string; message: string };
    assert.equal(body.code, 'shutting_down');
    assert.ok(body.message.length > 0);
    assert.equal((await fetch(`${base}/health/ready`)).status, 503);

    // The running job is still polled and its result fetched once it is done, within the grace.
    const deadline = Date.now() + (GRACE_S - 5) * 1000;
    let sawRunning = false;
    for (;;) {
      const s = await fetch(`${base}/ocr/job/${id}`);
      assert.ok(s.status === 200 || s.status === 202, `status during the grace: ${s.status}`);
      if (s.status === 200) break;
      sawRunning = true;
      const partial = await fetch(`${base}/ocr/job/${id}/result`);
      assert.ok(partial.status === 202 || partial.status === 200, `result during the grace: ${partial.status}`);
      assert.ok(Date.now() < deadline, 'the job did not finish within the grace');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(sawRunning, 'the job was still running after the signal');
    const result = await fetch(`${base}/ocr/job/${id}/result`);
    assert.equal(result.status, 200);
    const r = (await result.json()) as { status: string; total_pages: number; pages: { text: string }[] };
    assert.equal(r.status, 'completed');
    assert.equal(r.pages.length, PAGES.length);
    assert.match(r.pages.at(-1)!.text, /48/);

    const [code] = await exited;
    assert.equal(code, 0, server.logs());
    server = undefined;
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`a second ${signal} during the grace exits at once, non-zero`, async () => {
      server = await startServerProcess(ENV);
      const { base, proc } = server;
      await runningJob(base);
      const exited = once(proc, 'exit');
      proc.kill(signal);
      // The same signal again at once is one signal seen twice (npm and tini forward what the
      // process group already got): the grace goes on.
      await new Promise((r) => setTimeout(r, 100));
      proc.kill(signal);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await fetch(`${base}/health/ready`)).status, 503, 'still in the grace');
      assert.equal(proc.exitCode, null);
      // A second signal a moment later means now.
      await new Promise((r) => setTimeout(r, 1000));
      const t0 = Date.now();
      proc.kill(signal);
      const [code, sig] = await exited;
      const ms = Date.now() - t0;
      assert.equal(sig, null, 'the process exited by itself');
      assert.equal(code, signal === 'SIGINT' ? 130 : 143, server.logs());
      assert.ok(ms < 5000, `exited ${ms} ms after the second signal (grace ${GRACE_S} s)`);
      assert.match(server.logs(), /second signal during shutdown/);
      server = undefined;
    });
  }
});
