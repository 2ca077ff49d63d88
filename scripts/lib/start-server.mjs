// Starts dist/src/server.js as a child on 127.0.0.1 with the given environment and resolves once it
// listens: { child, url }. The benchmark scripts share it. `tree`: another built checkout whose
// server to start (the A/B benchmarks); default this one.
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export async function startServer(env, { tree = root } = {}) {
  const child = spawn(process.execPath, [path.join(tree, 'dist/src/server.js')], {
    cwd: tree,
    // As `npm start` does: two glibc malloc arenas, not eight per core (see package.json).
    env: { MALLOC_ARENA_MAX: '2', ...env, HOST: '127.0.0.1', LOG_LEVEL: env.LOG_LEVEL ?? 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  const url = await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(buffered);
      if (m) resolve(m[1]);
    });
  });
  child.stdout.resume();
  return { child, url };
}
