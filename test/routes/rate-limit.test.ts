// Rate limit of the submission routes: shared counter per client IP, exact 429 body and headers,
// health and polling never limited, X-Forwarded-For honoured only with TRUST_PROXY.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { build, submit, textImage } from '../helper.js';

/** Submission options for a client behind a proxy that forwards `ip`. */
const from = (ip: string) => ({ filename: 'r.png', headers: { 'x-forwarded-for': ip } });

describe('rate limit', () => {
  let png: Buffer;
  before(async () => {
    png = await textImage('Rate');
  });

  it('the N+1th submission in a minute is a 429 with the contract body and headers', async (t) => {
    const app = await build(t, { RATE_LIMIT_PER_MINUTE: '2' });
    const first = await submit(app, png, { filename: 'r.png' });
    assert.equal(first.statusCode, 202);
    assert.equal(first.headers['x-ratelimit-limit'], '2');
    assert.equal(first.headers['x-ratelimit-remaining'], '1');
    // The counter is shared by all submission routes.
    const batch = await submit(app, await textImage('B'), { url: '/ocr/batch', field: 'files', filename: 'b.png' });
    assert.equal(batch.statusCode, 202);
    const limited = await submit(app, png, { filename: 'r.png' });
    assert.equal(limited.statusCode, 429);
    const body = limited.json();
    assert.deepEqual(Object.keys(body).sort(), ['code', 'error', 'message', 'remaining', 'retry_after']);
    assert.equal(body.error, 'Rate limit exceeded');
    assert.equal(body.message, 'Too many requests. Limit: 2 per minute (RATE_LIMIT_PER_MINUTE)');
    assert.equal(body.remaining, 0);
    assert.ok(body.retry_after > 0 && body.retry_after <= 60);
    assert.equal(limited.headers['x-ratelimit-limit'], '2');
    assert.equal(limited.headers['x-ratelimit-remaining'], '0');
    assert.ok(limited.headers['retry-after']);
    // Health and polling are not limited.
    for (let i = 0; i < 5; i++) {
      assert.equal((await app.inject({ method: 'GET', url: '/health/alive' })).statusCode, 200);
      assert.equal(
        (await app.inject({ method: 'GET', url: `/ocr/job/${first.json().job_id}` })).statusCode !== 429,
        true,
      );
    }
  });

  it('without TRUST_PROXY, X-Forwarded-For does not give a new allowance', async (t) => {
    const app = await build(t, { RATE_LIMIT_PER_MINUTE: '1' });
    assert.equal((await submit(app, png, from('10.0.0.1'))).statusCode, 202);
    assert.equal((await submit(app, png, from('10.0.0.2'))).statusCode, 429);
  });

  it('with TRUST_PROXY, each forwarded client has its own allowance', async (t) => {
    const app = await build(t, { RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: 'true' });
    assert.equal((await submit(app, png, from('10.0.0.1'))).statusCode, 202);
    assert.equal((await submit(app, png, from('10.0.0.1'))).statusCode, 429);
    assert.equal((await submit(app, png, from('10.0.0.2'))).statusCode, 202);
  });

  it('TRUST_PROXY=1 trusts one hop (regression: Fastify 5 silently ignores numeric hop counts)', async (t) => {
    const app = await build(t, { RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: '1' });
    assert.equal((await submit(app, png, from('10.0.0.1'))).statusCode, 202);
    assert.equal((await submit(app, png, from('10.0.0.1'))).statusCode, 429);
    // a client-supplied entry before the proxy's does not buy a new allowance
    assert.equal((await submit(app, png, from('198.51.100.7, 10.0.0.1'))).statusCode, 429);
    assert.equal((await submit(app, png, from('10.0.0.2'))).statusCode, 202);
  });

  it('RATE_LIMIT_PER_MINUTE=0 disables it', async (t) => {
    const app = await build(t, { RATE_LIMIT_PER_MINUTE: '0' });
    for (let i = 0; i < 4; i++) assert.equal((await submit(app, png, { filename: 'r.png' })).statusCode, 202);
  });
});
