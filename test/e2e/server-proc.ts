// dist/src/server.js as a child process on loopback, for the tests that need the real server
// (its HTTP timeouts, signals, logs): resolves once /health/ready answers 200.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { freePort } from '../helper.js';

const SERVER = fileURLToPath(new URL('../../src/server.js', import.meta.url));

export interface ServerProc {
  proc: ChildProcess;
  port: number;
  base: string;
  /** Everything the process wrote so far (stdout and stderr). */
  logs(): string;
}

export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProc> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  proc.stdout!.on('data', (d) => (logs += d));
  proc.stderr!.on('data', (d) => (logs += d));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    assert.ok(Date.now() < deadline && proc.exitCode === null, `server did not start:\n${logs}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, port, base, logs: () => logs };
}
