// Slow clients and shutdown against the real server process (issue 10, items 4 and 8): a slowloris
// upload or header is cut off in bounded time; SIGTERM with jobs running and two queued exits 0
// within SHUTDOWN_GRACE, each job failed with a message saying why (seen through its webhook).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { withoutCorpus } from '../corpus.js';
import { submitJob, textImage } from '../helper.js';
import { CORPUS_DEV, imagePdf } from '../pdf/fixtures.js';
import { startServerProcess } from './server-proc.js';

const GRACE = 4;

let proc: ChildProcess;
let port: number;
let logs: () => string;
let receiver: Server;
let hookUrl: string;
const hooks: { job_id?: string; status: string; error?: { message: string } }[] = [];

/** Sends `head` at once, then `drip` one byte every `everyMs`; resolves with ms until the server closed the connection. */
function trickle(head: string, drip: string, everyMs: number, maxMs: number): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve) => {
    const start = Date.now();
    let answer = '';
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(head);
      let i = 0;
      const t = setInterval(() => {
        if (s.destroyed || Date.now() - start > maxMs) return (clearInterval(t), s.destroy());
        s.write(drip[i++ % drip.length]);
      }, everyMs);
      s.once('close', () => {
        clearInterval(t);
        resolve({ ms: Date.now() - start, answer });
      });
    });
    s.on('data', (d) => (answer += d));
    s.on('error', () => {});
  });
}

describe('hostile clients and shutdown (server process)', () => {
  before(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        hooks.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const server = await startServerProcess({
      OCR_WORKERS: '1',
      OCR_THREADS_PER_WORKER: '1',
      RATE_LIMIT_PER_MINUTE: '0',
      REQUEST_TIMEOUT: '3',
      HEADERS_TIMEOUT: '2',
      SHUTDOWN_GRACE: String(GRACE),
      WEBHOOK_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: 'info',
    });
    ({ proc, port } = server);
    logs = server.logs;
  });
  after(() => {
    if (proc?.exitCode === null) proc.kill('SIGKILL');
    receiver?.close();
  });

  it('slowloris upload (1 byte every 200 ms) is cut off after REQUEST_TIMEOUT', async () => {
    const head = `POST /ocr/image HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n`;
    const { ms, answer } = await trickle(head, 'x', 200, 20_000);
    assert.ok(ms < 3000 + 2000, `the upload stayed open ${ms} ms`);
    assert.ok(ms >= 2500, `closed after ${ms} ms, before REQUEST_TIMEOUT`);
    if (answer) assert.match(answer, /^HTTP\/1\.1 408/);
  });

  it('slowloris headers are cut off after HEADERS_TIMEOUT', async () => {
    const { ms } = await trickle(
      'GET /health/alive HTTP/1.1\r\nHost: x\r\n',
      'X-Slow: aaaaaaaaaaaaaaaaaaaaaa\r\n',
      200,
      20_000,
    );
    assert.ok(ms < 2000 + 2000, `the headers stayed open ${ms} ms`);
  });

  it(
    'SIGTERM with a PDF job running, one job ahead and two queued exits 0 within SHUTDOWN_GRACE, failing each job clearly',
    { skip: withoutCorpus('dev/cvs-paper_p009.png') },
    async () => {
      const page = readFileSync(path.join(CORPUS_DEV, 'cvs-paper_p009.png'));
      const base = `http://127.0.0.1:${port}`;
      const hook = (url: string, filename: string) => ({ url, filename, fields: { callback_url: hookUrl } });
      const running = await submitJob(
        base,
        await imagePdf([page, page, page, page, page, page]),
        hook('/ocr/pdf?dpi=300', 'long.pdf'),
      );
      // A process runs one job more than its OCR threads: this one starts beside the PDF (and may
      // finish within the grace); the next two wait.
      await submitJob(base, await textImage('JOB AHEAD'), hook('/ocr/image', 'ahead.png'));
      await submitJob(base, await textImage('QUEUED ONE'), hook('/ocr/image', 'q1.png'));
      const queuedTwo = await submitJob(base, await textImage('QUEUED TWO'), hook('/ocr/image', 'q2.png'));
      for (;;) {
        const s = (await (await fetch(`http://127.0.0.1:${port}/ocr/job/${running}`)).json()) as { status: string };
        if (s.status === 'processing') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      const start = Date.now();
      proc.kill('SIGTERM');
      const code = await exited;
      const seconds = (Date.now() - start) / 1000;
      assert.equal(code, 0, logs().slice(-2000));
      assert.ok(
        seconds <= GRACE + 1,
        `exit took ${seconds} s (SHUTDOWN_GRACE ${GRACE} s); SIGTERM at ${start}\n${logs().slice(-3000)}`,
      );
      assert.doesNotMatch(logs(), /shutdown took too long/);
      assert.equal(hooks.length, 4, JSON.stringify(hooks));
      const failed = hooks.filter((h) => h.status === 'failed').map((h) => h.error?.message ?? '');
      assert.equal(failed.length + hooks.filter((h) => h.status === 'completed').length, 4, JSON.stringify(hooks));
      // Every failure says which of the two happened. The 6-page PDF is cut mid-document; the job
      // ahead, and with a fast engine (PP-OCRv6) the first queued one too, may finish in the grace;
      // the last queued one never starts.
      assert.ok(
        failed.every((m) => /shut down (while this job was running|before this job started)/.test(m)),
        failed.join('\n'),
      );
      assert.ok(
        [1, 2].includes(failed.filter((m) => /shut down while this job was running/.test(m)).length),
        failed.join('\n'),
      );
      assert.ok(
        [1, 2].includes(failed.filter((m) => /shut down before this job started/.test(m)).length),
        failed.join('\n'),
      );
      const last = hooks.find((h) => h.job_id === queuedTwo);
      assert.equal(last?.status, 'failed', JSON.stringify(hooks));
      assert.match(last?.error?.message ?? '', /shut down before this job started/);
    },
  );
});
