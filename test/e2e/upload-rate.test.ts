// MIN_UPLOAD_RATE against the real server process, with the defaults (1024 bytes/s over 20 s after
// a 10 s grace; REQUEST_TIMEOUT 300 s): an upload dripping 1 byte every 2 s is answered 408 and
// closed within a minute, logged; a 20 MB upload at 200 KB/s (100 s, well past the grace)
// completes with 202.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import { type ServerProc, startServerProcess } from './server-proc.js';

let server: ServerProc;
let port: number;

/**
 * Sends `head`, then `body` in `chunk`-byte pieces every `everyMs`; resolves when the server
 * closes the connection (or answers and the body is all sent) with the time and the answer.
 */
function upload(
  head: string,
  body: Buffer,
  chunk: number,
  everyMs: number,
  maxMs: number,
): Promise<{ ms: number; answer: string; sent: number }> {
  return new Promise((resolve) => {
    const start = Date.now();
    let answer = '';
    let sent = 0;
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(head);
      const t = setInterval(() => {
        if (s.destroyed || Date.now() - start > maxMs) return (clearInterval(t), s.destroy());
        if (sent >= body.length) return clearInterval(t);
        s.write(body.subarray(sent, sent + chunk));
        sent += chunk;
      }, everyMs);
      s.once('close', () => {
        clearInterval(t);
        resolve({ ms: Date.now() - start, answer, sent: Math.min(sent, body.length) });
      });
    });
    s.on('data', (d) => {
      answer += d;
      // The 202 of a complete upload: done (the connection would be kept alive).
      if (/^HTTP\/1\.1 202/.test(answer) && answer.includes('"job_id"')) s.destroy();
    });
    s.on('error', () => {});
  });
}

function multipartOf(file: Buffer): { head: string; body: Buffer } {
  const pre = Buffer.from(
    '--b\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n',
  );
  const post = Buffer.from('\r\n--b--\r\n');
  const body = Buffer.concat([pre, file, post]);
  const head = `POST /ocr/image HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${body.length}\r\n\r\n`;
  return { head, body };
}

describe('MIN_UPLOAD_RATE (server process, defaults)', () => {
  before(async () => {
    server = await startServerProcess({
      OCR_WORKERS: '1',
      OCR_THREADS_PER_WORKER: '1',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'info',
    });
    port = server.port;
  });
  after(() => {
    if (server?.proc.exitCode === null) server.proc.kill('SIGKILL');
  });

  it('an upload of 1 byte every 2 s is answered 408 and closed within 60 s, and logged', async () => {
    const { head, body } = multipartOf(Buffer.alloc(100_000, 7));
    const { ms, answer } = await upload(head, body, 1, 2000, 90_000);
    assert.ok(ms < 60_000, `the upload stayed open ${ms} ms`);
    assert.ok(ms >= 9_000, `closed after ${ms} ms, inside the grace`);
    assert.match(answer, /^HTTP\/1\.1 408/);
    const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    assert.equal(json.error, 'Request Timeout');
    assert.match(json.message, /MIN_UPLOAD_RATE \(1024 bytes\/s\)/);
    // The log line is written before the answer, but reaches this process through another pipe.
    for (let i = 0; i < 40 && !/upload slower than MIN_UPLOAD_RATE/.test(server.logs()); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.match(server.logs(), /upload slower than MIN_UPLOAD_RATE/);
    // The server goes on serving.
    assert.equal((await fetch(`http://127.0.0.1:${port}/health/alive`)).status, 200);
  });

  it('a 20 MB upload at 200 KB/s completes (202)', async () => {
    // Noise does not compress: a 2,600 x 2,600 RGB PNG stored without compression, about 20 MB.
    const raw = Buffer.alloc(2600 * 2600 * 3);
    for (let i = 0; i < raw.length; i += 4) raw.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, i);
    const png = await sharp(raw, { raw: { width: 2600, height: 2600, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    assert.ok(png.length >= 20 * 2 ** 20 - 2 ** 20, `${png.length} bytes`);
    const { head, body } = multipartOf(png);
    // 20 KB every 100 ms.
    const { ms, answer, sent } = await upload(head, body, 20 * 1024, 100, 200_000);
    assert.equal(sent, body.length);
    assert.ok(ms > 90_000, `the upload took ${ms} ms: not slow enough to test the floor`);
    assert.match(answer, /^HTTP\/1\.1 202/, answer.slice(0, 300));
  });
});
