// Webhooks: callback_url checked at submission, the status body POSTed signed when the job
// finishes, retried with backoff when the receiver fails. Redis mode (in-process workers).
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { isPrivateAddress } from '../../src/jobs/webhook.js';
import { build, submit, textImage } from '../helper.js';
import { RedisServer } from './redis-server.js';

const SECRET = 'test-secret';

interface Hit {
  body: string;
  signature: string | undefined;
  at: number;
}

function verify(body: string, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
  const got = Buffer.from(header ?? '');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe('webhooks', () => {
  let redis: RedisServer;
  let app: FastifyInstance;
  let receiver: Server;
  let hookUrl: string;
  const hits: Hit[] = [];
  let failFirst = 0;

  before(async () => {
    redis = await RedisServer.start();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        hits.push({ body, signature: req.headers['x-signature'] as string | undefined, at: Date.now() });
        if (failFirst > 0) {
          failFirst--;
          res.statusCode = 500;
        }
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/done`;
    app = await build(null, {
      REDIS_URL: redis.url,
      REDIS_PREFIX: `wh${process.pid}`,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_BACKOFF_MS: '300',
      WEBHOOK_ATTEMPTS: '4',
    });
  });

  after(async () => {
    await app?.close();
    receiver?.close();
    await redis?.stop();
  });

  /** Submission options for a PNG called `filename` whose result goes to `callback`. */
  const hook = (callback: string, filename = 'a.png') => ({
    filename,
    contentType: 'image/png',
    fields: { callback_url: callback },
  });

  async function until(pred: () => boolean, ms = 30_000) {
    const deadline = Date.now() + ms;
    while (!pred()) {
      assert.ok(Date.now() < deadline, 'timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('is delivered with a verifiable signature and the status body', async () => {
    hits.length = 0;
    const res = await submit(app, await textImage('Webhook one'), hook(hookUrl));
    assert.equal(res.statusCode, 202, res.body);
    const id = res.json().job_id as string;
    await until(() => hits.length >= 1);
    const hit = hits[0];
    assert.ok(verify(hit.body, hit.signature), `signature ${hit.signature} does not verify`);
    const body = JSON.parse(hit.body);
    assert.equal(body.job_id, id);
    assert.equal(body.status, 'completed');
    assert.equal(body.ready, true);
    assert.equal(body.successful, true);
    const status = (await app.inject({ method: 'GET', url: `/ocr/job/${id}` })).json();
    assert.equal(status.status, 'completed');
  });

  it('is retried with backoff when the receiver first answers 500', async () => {
    hits.length = 0;
    failFirst = 2;
    const res = await submit(app, await textImage('Webhook retry'), hook(hookUrl));
    assert.equal(res.statusCode, 202);
    await until(() => hits.length >= 3);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(hits.length, 3, 'two failures, then one success, then no more');
    assert.ok(hits[1].at - hits[0].at >= 250, 'first retry after the backoff');
    assert.ok(hits[2].at - hits[1].at >= 550, 'the backoff doubles');
    assert.equal(hits[0].body, hits[2].body);
    for (const h of hits) assert.ok(verify(h.body, h.signature));
  });

  it('a failed job is delivered too', async () => {
    hits.length = 0;
    // A PNG whose header is fine but whose data is not: accepted, then failing in the job.
    const png = await textImage('broken');
    const broken = Buffer.concat([png.subarray(0, 60), Buffer.alloc(200, 7)]);
    const res = await submit(app, broken, hook(hookUrl, 'b.png'));
    if (res.statusCode !== 202) return; // rejected at submission: nothing to deliver
    await until(() => hits.length >= 1);
    const body = JSON.parse(hits[0].body);
    assert.equal(body.status, 'failed');
    assert.equal(body.failed, true);
    assert.ok(body.error.message);
  });

  it('rejects non-http(s) callback URLs with 400', async () => {
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'not a url', 'http://user:pw@example.com/']) {
      const res = await submit(app, await textImage('x'), hook(url));
      assert.equal(res.statusCode, 400, url);
      assert.match(res.json().message, /callback_url/);
    }
  });

  it('rejects loopback and private targets unless WEBHOOK_ALLOW_PRIVATE=true', async () => {
    const strict = await build(null, {
      REDIS_URL: redis.url,
      REDIS_PREFIX: `whs${process.pid}`,
      WEBHOOK_SECRET: SECRET,
    });
    try {
      for (const url of [
        'http://127.0.0.1:9/x',
        'http://localhost/x',
        'http://10.1.2.3/',
        'http://192.168.0.5/',
        'http://[::1]/',
        'http://169.254.169.254/latest',
      ]) {
        const res = await submit(strict, await textImage('x'), hook(url));
        assert.equal(res.statusCode, 400, url);
        assert.match(res.json().message, /private/);
      }
    } finally {
      await strict.close();
    }
  });

  it('classifies addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.20.1.1',
      '192.168.1.1',
      '169.254.1.1',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
    ]) {
      assert.equal(isPrivateAddress(ip), true, ip);
    }
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '172.32.0.1'])
      assert.equal(isPrivateAddress(ip), false, ip);
  });
});
