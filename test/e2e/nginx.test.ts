// The server behind a real nginx (deploy/nginx/ocr.conf): client addresses come from nginx's
// X-Forwarded-For with TRUST_PROXY=1, so each client has its own rate limit and a spoofed
// header does not escape it; large uploads stop at nginx with 413.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { freePort, textImage } from '../helper.js';

const SERVER = fileURLToPath(new URL('../../src/server.js', import.meta.url));
const CONF = fileURLToPath(new URL('../../../deploy/nginx/ocr.conf', import.meta.url));
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
const LIMIT = 2;

/** POSTs a multipart upload from a given loopback address (a distinct client for nginx). */
function upload(port: number, from: string, body: Buffer, headers: Record<string, string> = {}) {
  const boundary = `----ocr${Date.now()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    body,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/ocr/image',
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': payload.length,
          ...headers,
        },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function waitFor(url: string, what: string, proc: ChildProcess, logs: () => string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* not up yet */
    }
    assert.ok(Date.now() < deadline && proc.exitCode === null, `${what} did not start:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('behind nginx', { skip: !NGINX && 'nginx is not installed' }, () => {
  let api: ChildProcess;
  let nginx: ChildProcess;
  let port: number;
  let logs = '';
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'ocr-nginx-'));

  before(async () => {
    const apiPort = await freePort();
    port = await freePort();
    api = spawn(process.execPath, [SERVER], {
      env: {
        ...process.env,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        TRUST_PROXY: '1',
        RATE_LIMIT_PER_MINUTE: String(LIMIT),
        OCR_WORKERS: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout!.on('data', (d) => (logs += d));
    api.stderr!.on('data', (d) => (logs += d));
    await waitFor(`http://127.0.0.1:${apiPort}/health/ready`, 'API', api, () => logs);

    const site = readFileSync(CONF, 'utf8')
      .replaceAll('__LISTEN__', `127.0.0.1:${port}`)
      .replaceAll('__UPSTREAM__', `127.0.0.1:${apiPort}`);
    mkdirSync(path.join(prefix, 'logs'), { recursive: true });
    writeFileSync(
      path.join(prefix, 'nginx.conf'),
      `daemon off; worker_processes 1; pid ${prefix}/nginx.pid; error_log ${prefix}/logs/error.log;
events { worker_connections 64; }
http { access_log off; client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
${site} }`,
    );
    // nginx logs to its error_log file; no pipes, which its worker would keep open.
    nginx = spawn(NGINX!, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf')], { stdio: 'ignore' });
    await waitFor(`http://127.0.0.1:${port}/health/alive`, 'nginx', nginx, () => {
      try {
        return logs + readFileSync(path.join(prefix, 'logs', 'error.log'), 'utf8');
      } catch {
        return logs;
      }
    });
  });

  after(async () => {
    for (const p of [nginx, api]) {
      if (p && p.exitCode === null) {
        const exited = new Promise((r) => p.once('exit', r));
        p.kill(p === nginx ? 'SIGTERM' : 'SIGKILL'); // nginx's TERM also stops its worker
        await exited;
      }
    }
  });

  it('counts the rate limit per client address seen by nginx, and a spoofed X-Forwarded-For does not reset it', async () => {
    const png = await textImage(['Behind the proxy']);
    for (let i = 0; i < LIMIT; i++) {
      const r = await upload(port, '127.0.0.2', png);
      assert.equal(r.status, 202, r.body);
      assert.equal(r.headers['x-ratelimit-remaining'], String(LIMIT - 1 - i));
    }
    const limited = await upload(port, '127.0.0.2', png);
    assert.equal(limited.status, 429);
    assert.equal(JSON.parse(limited.body).error, 'Rate limit exceeded');

    const spoofed = await upload(port, '127.0.0.2', png, { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(spoofed.status, 429, 'a client-supplied X-Forwarded-For must not give a fresh limit');

    const other = await upload(port, '127.0.0.3', png);
    assert.equal(other.status, 202, 'another client address has its own limit');
    assert.equal(other.headers['x-ratelimit-remaining'], String(LIMIT - 1));
  });

  it('answers 413 at nginx for an upload over the size limit', async () => {
    const big = Buffer.alloc(52 * 1024 * 1024, 1);
    const r = await upload(port, '127.0.0.4', big).catch((e: NodeJS.ErrnoException) => ({
      status: e.code === 'EPIPE' || e.code === 'ECONNRESET' ? 413 : 0,
      headers: {},
      body: '',
    }));
    assert.equal(r.status, 413);
  });
});
