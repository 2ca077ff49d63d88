// End to end: the real server process (dist/src/server.js) on a free port, over HTTP.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { PDFDocument } from 'pdf-lib';

import { corpusPath, withoutCorpus } from '../corpus.js';
import { norm, submit, textImage } from '../helper.js';
import { startServerProcess } from './server-proc.js';

const SERVER = fileURLToPath(new URL('../../src/server.js', import.meta.url));
const CORPUS_PDF = corpusPath('pdf', 'cvs-paper.pdf');
const LIMIT = 4;

let proc: ChildProcess;
let base: string;
let logs: () => string;

async function poll(jobId: string, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${base}/ocr/job/${jobId}`);
    if (res.status === 200) return (await fetch(`${base}/ocr/job/${jobId}/result`)).json();
    assert.equal(res.status, 202);
    assert.ok(Date.now() < deadline, `job ${jobId} timed out`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('server process', () => {
  before(async () => {
    const server = await startServerProcess(
      { RATE_LIMIT_PER_MINUTE: String(LIMIT), OCR_WORKERS: '2', LOG_LEVEL: 'INFO' },
      20_000,
    );
    ({ proc, base } = server);
    logs = server.logs;
  });
  after(() => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  });

  let imageBytes: Buffer;

  it('recognizes a generated image', async () => {
    imageBytes = await textImage(['Quarterly report 2024', 'Total revenue 1234']);
    const res = await submit(base, imageBytes, { filename: 'report.png' });
    assert.equal(res.status, 202);
    assert.match(String(res.headers.get('x-request-id')), /^[0-9a-f-]{36}$/);
    const r = await poll((await res.json()).job_id);
    assert.equal(r.cached, false);
    assert.equal(norm(r.text), norm('Quarterly report 2024 Total revenue 1234'));
  });

  it('recognizes a page of a real PDF from the corpus', { skip: withoutCorpus('pdf/cvs-paper.pdf') }, async () => {
    const src = await PDFDocument.load(readFileSync(CORPUS_PDF));
    const doc = await PDFDocument.create();
    const [page] = await doc.copyPages(src, [1]);
    doc.addPage(page);
    const res = await submit(base, Buffer.from(await doc.save()), {
      url: '/ocr/pdf?dpi=150',
      filename: 'cvs-paper-p2.pdf',
    });
    assert.equal(res.status, 202);
    const r = await poll((await res.json()).job_id);
    assert.equal(r.total_pages, 1);
    assert.equal(r.processing_dpi, 150);
    const text = norm(r.full_text);
    for (const phrase of ['revision control', 'serialization', 'shell scripts'])
      assert.ok(text.includes(norm(phrase)), phrase);
  });

  it('the same image again is served from the cache, quickly', async () => {
    const start = performance.now();
    const res = await submit(base, imageBytes, { filename: 'again.png' });
    const r = await poll((await res.json()).job_id);
    assert.equal(r.cached, true);
    assert.equal(r.filename, 'again.png');
    assert.equal(norm(r.text), norm('Quarterly report 2024 Total revenue 1234'));
    assert.ok(performance.now() - start < 1000);
  });

  it('exceeding the rate limit gives the 429 body and headers', async () => {
    // Three submissions so far; one more is allowed.
    assert.equal((await submit(base, imageBytes, { filename: 'x.png' })).status, 202);
    const res = await submit(base, imageBytes, { filename: 'x.png' });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('x-ratelimit-limit'), String(LIMIT));
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    const body = await res.json();
    assert.equal(body.error, 'Rate limit exceeded');
    assert.equal(body.message, `Too many requests. Limit: ${LIMIT} per minute (RATE_LIMIT_PER_MINUTE)`);
    assert.equal(body.code, 'rate_limited');
    assert.equal(body.remaining, 0);
    assert.ok(body.retry_after > 0);
    assert.equal((await fetch(`${base}/health`)).status, 200);
  });

  it('logs are pino JSON lines with request ids', () => {
    const lines = logs()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    assert.ok(lines.some((l) => l.reqId && l.req?.url === '/ocr/image'));
  });

  it('SIGTERM closes gracefully with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(logs(), /shutting down/);
  });
});

describe('start-up', () => {
  it('an invalid variable stops the start-up with a message naming it', async () => {
    const p = spawn(process.execPath, [SERVER], {
      env: { ...process.env, MAX_DPI: 'lots' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => p.once('exit', resolve));
    assert.equal(code, 78);
    assert.match(err, /MAX_DPI.*"lots"/);
  });

  it('an engine that cannot load stops the start-up with one log line, not a stack trace', async () => {
    const p = spawn(process.execPath, [SERVER], {
      env: { ...process.env, PORT: '0', OCR_MODEL: 'no-such-set' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    p.stdout!.resume();
    const code = await new Promise<number | null>((resolve) => p.once('exit', resolve));
    assert.equal(code, 1);
    const line = JSON.parse(err.trim().split('\n').at(-1)!) as { level: number; msg: string; err: { message: string } };
    assert.equal(line.msg, 'could not start the service');
    assert.match(line.err.message, /OCR engine could not be loaded: Unknown model set "no-such-set"/);
    assert.doesNotMatch(err, /^\s+at /m);
  });
});
