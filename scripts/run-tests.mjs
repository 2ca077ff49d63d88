#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node:test, one file at a time:
// the tests load real models and the machine has two cores.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './lib/free-port.mjs';

const root = path.resolve(import.meta.dirname, '..', 'dist', 'test');
const filter = process.argv[2];
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js') && (!filter || p.includes(filter))) files.push(p);
  }
})(root);
if (!files.length) {
  console.error(`no test files under ${root}${filter ? ` matching ${filter}` : ''}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });

// Second pass: the API route tests again in Redis mode (issue 5), against a throwaway redis-server
// on a free loopback port without persistence. Skipped (with a note) when redis-server is missing.
const routeFiles = files.filter((p) => p.includes(`${path.sep}routes${path.sep}`));
let redisStatus = 0;
if (routeFiles.length && process.env.OCR_TEST_SKIP_REDIS !== '1') {
  const server = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
  if (!existsSync(server)) {
    console.error(`# ${server} not found: the Redis-mode pass of the route tests is skipped`);
  } else {
    const port = await freePort();
    const redis = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    try {
      await waitForPort(port);
      console.log(`# Redis mode: route tests again against redis-server on 127.0.0.1:${port}`);
      const env = { ...process.env, OCR_TEST_REDIS_URL: `redis://127.0.0.1:${port}` };
      redisStatus =
        spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...routeFiles], { stdio: 'inherit', env })
          .status ?? 1;
    } finally {
      redis.kill('SIGKILL');
    }
  }
}
process.exit((r.status ?? 1) || redisStatus);

async function waitForPort(port) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`redis-server did not start on port ${port}`);
}
