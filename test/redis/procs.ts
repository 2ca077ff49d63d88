// Server and worker processes of Redis mode (dist/src/server.js, dist/src/worker-main.js) for tests.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { freePort } from './redis-server.js';

const SERVER = fileURLToPath(new URL('../../src/server.js', import.meta.url));
const WORKER = fileURLToPath(new URL('../../src/worker-main.js', import.meta.url));

/** Settings shared by the processes of one test: short stalled-job checks, one OCR thread each. */
export function baseEnv(redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `t${process.pid}`,
    OCR_WORKERS: '1',
    OCR_THREADS_PER_WORKER: '1',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '0',
    JOB_LOCK_MS: '2000',
    JOB_STALLED_INTERVAL_MS: '1000',
    JOB_BACKOFF_MS: '200',
    SHUTDOWN_GRACE: '20',
    ...extra,
  };
}

export class Proc {
  logs = '';
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d) => (this.logs += d));
    child.stderr!.on('data', (d) => (this.logs += d));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  async waitForLog(text: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.logs.includes(text)) {
      assert.ok(Date.now() < deadline, `no "${text}" in the logs within ${timeoutMs} ms:\n${this.logs.slice(-2000)}`);
      assert.equal(this.child.exitCode, null, `the process exited:\n${this.logs.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export class ApiProc extends Proc {
  constructor(
    child: ChildProcess,
    readonly base: string,
  ) {
    super(child);
  }
}

export async function startApi(env: Record<string, string>): Promise<ApiProc> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const api = new ApiProc(child, `http://127.0.0.1:${port}`);
  await api.waitForLog('Server listening');
  return api;
}

export async function startWorker(env: Record<string, string>): Promise<Proc> {
  // The worker's metrics server listens on loopback, on no port unless the test gives one.
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, HOST: '127.0.0.1', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const w = new Proc(child);
  await w.waitForLog('taking jobs from Redis');
  return w;
}

export async function status(base: string, id: string): Promise<{ status: string; progress: { pages_done: number } }> {
  return (await fetch(`${base}/ocr/job/${id}`)).json() as never;
}

/** Polls until the job is finished; returns the result body. */
export async function result(
  base: string,
  id: string,
  timeoutMs = 45_000,
): Promise<Record<string, unknown> & { status: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${base}/ocr/job/${id}`);
    if (res.status === 200) return (await fetch(`${base}/ocr/job/${id}/result`)).json() as never;
    assert.equal(res.status, 202, await res.text());
    assert.ok(Date.now() < deadline, `job ${id} did not finish in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the job is being processed (a worker holds it). */
export async function untilProcessing(base: string, id: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await status(base, id)).status !== 'processing') {
    assert.ok(Date.now() < deadline, `job ${id} was not taken in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
