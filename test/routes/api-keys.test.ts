import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { submit, testConfig, textImage, waitForResult } from '../helper.js';

const ALPHA = 'alpha-key-0123456789abcdef';
const BETA = 'beta-key-0123456789abcdef';
const GAMMA = 'gamma-key-from-the-file-0123';
const DELTA = 'delta-key-stored-as-a-digest';
const sha = (k: string) => createHash('sha256').update(k).digest('hex');

const dir = mkdtempSync(path.join(os.tmpdir(), 'ocr-keys-'));
const keyFile = path.join(dir, 'keys.txt');
writeFileSync(keyFile, `# service keys\n${GAMMA}\n\nsha256:${sha(DELTA).toUpperCase()}\n`);

/** An app with keys, its pino output captured line by line (headers logged, as a deployment might). */
async function keyedApp(env: Record<string, string> = {}): Promise<{ app: FastifyInstance; logs: string[] }> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = testConfig({ API_KEYS: `${ALPHA}, ${BETA}`, API_KEYS_FILE: keyFile, ...env });
  const app = await buildApp(config, {
    logger: {
      level: 'trace',
      stream,
      serializers: { req: (req) => ({ method: req.method, url: req.url, headers: req.headers }) },
    },
  });
  await app.ready();
  return { app, logs };
}

const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
const xKey = (k: string) => ({ 'x-api-key': k });

/** Submission options carrying the key headers. */
const keyed = (headers: Record<string, string>) => ({ filename: 'k.png', headers });
const GUARDED = 'Keys guard this service';

describe('API keys', () => {
  let app: FastifyInstance;
  let logs: string[];
  before(async () => {
    ({ app, logs } = await keyedApp({ RATE_LIMIT_PER_MINUTE: '3' }));
  });
  after(() => app.close());

  it('answers 401 { error, message } without a key or with a wrong one', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /API key is required/],
      [{ authorization: `Basic ${ALPHA}` }, /API key is required/],
      [bearer('wrong-key-0123456789abcdef'), /not valid/],
      [xKey('wrong-key-0123456789abcdef'), /not valid/],
    ];
    for (const [headers, message] of cases) {
      const res = await submit(app, await textImage(GUARDED), keyed(headers));
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
      assert.equal(res.json().error, 'Unauthorized');
      assert.match(res.json().message, message);
      assert.match(String(res.headers['www-authenticate']), /^Bearer/);
    }
    for (const url of ['/ocr/job/00000000-0000-4000-8000-000000000000', '/ocr/job/x/result', '/ocr/job/x/page/1.png']) {
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 401, url);
    }
  });

  it('accepts every configured key in both header forms; health, metrics, the page and docs stay open', async () => {
    for (const headers of [
      bearer(ALPHA),
      xKey(BETA),
      bearer(GAMMA),
      xKey(DELTA),
      { authorization: `bearer ${BETA}` },
    ]) {
      const res = await submit(app, await textImage('Each key works'), keyed(headers));
      assert.equal(res.statusCode, 202, `${JSON.stringify(headers)}: ${res.body}`);
    }
    for (const url of ['/health', '/health/alive', '/metrics', '/', '/app.js', '/docs/json']) {
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url);
    }
  });

  it("hides a job from every other key: another key's job is a 404 like an unknown one", async () => {
    const res = await submit(app, await textImage('Owned by gamma'), keyed(xKey(GAMMA)));
    const id = res.json().job_id;
    const poll = () => app.inject({ method: 'GET', url: `/ocr/job/${id}`, headers: bearer(GAMMA) });
    for (let i = 0; i < 400 && (await poll()).statusCode === 202; i++) await new Promise((r) => setTimeout(r, 25));
    for (const url of [
      `/ocr/job/${id}`,
      `/ocr/job/${id}/result`,
      `/ocr/job/${id}/result?format=txt`,
      `/ocr/job/${id}/page/1.png`,
    ]) {
      assert.equal((await app.inject({ method: 'GET', url, headers: bearer(GAMMA) })).statusCode, 200, url);
      const other = await app.inject({ method: 'GET', url, headers: bearer(ALPHA) });
      assert.equal(other.statusCode, 404, url);
      assert.deepEqual(Object.keys(other.json()).sort(), ['code', 'error', 'message']);
      assert.match(other.json().message, /not found/);
    }
    const result = await app.inject({ method: 'GET', url: `/ocr/job/${id}/result`, headers: bearer(GAMMA) });
    assert.match(result.json().text, /Owned by gamma/);
  });

  it('counts the rate limit per key, not per client address', async () => {
    // Every request here comes from the same address (inject); BETA used two of its three above.
    const beta = await submit(app, await textImage('third for beta'), keyed(xKey(BETA)));
    assert.equal(beta.statusCode, 202, beta.body);
    const over = await submit(app, await textImage('fourth for beta'), keyed(xKey(BETA)));
    assert.equal(over.statusCode, 429);
    assert.equal(over.json().error, 'Rate limit exceeded');
    const delta = await submit(app, await textImage('delta has its own budget'), keyed(xKey(DELTA)));
    assert.equal(delta.statusCode, 202, delta.body);
  });

  it('never writes a key to the log', async () => {
    await app.inject({ method: 'GET', url: '/health', headers: bearer(ALPHA) });
    const text = logs.join('');
    assert.ok(text.includes('[redacted]'), 'the header is logged, censored');
    assert.match(text, /"url":"\/ocr\/image"/);
    for (const k of [ALPHA, BETA, GAMMA, DELTA]) {
      assert.equal(
        logs.find((l) => l.includes(k)),
        undefined,
        `key ${k.slice(0, 5)}... is absent from the logs`,
      );
    }
  });

  it('declares the security schemes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
    assert.equal(doc.components.securitySchemes.apiKeyHeader.name, 'X-API-Key');
    assert.deepEqual(doc.paths['/ocr/image'].post.security, [{ bearerAuth: [] }, { apiKeyHeader: [] }]);
    assert.equal(doc.paths['/health'].get.security, undefined);
  });
});

describe('API key configuration', () => {
  it('API_KEYS_OPEN=none puts health and metrics behind the keys too', async (t) => {
    const { app } = await keyedApp({ API_KEYS_OPEN: 'none' });
    t.after(() => app.close());
    for (const url of ['/health', '/metrics']) {
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 401, url);
      assert.equal((await app.inject({ method: 'GET', url, headers: xKey(ALPHA) })).statusCode, 200, url);
    }
  });

  it('keeps digests only and refuses bad key settings', () => {
    const c = loadConfig({ API_KEYS: ALPHA, API_KEYS_FILE: keyFile });
    assert.deepEqual(c.apiKeyHashes.sort(), [sha(ALPHA), sha(GAMMA), sha(DELTA)].sort());
    assert.ok(!JSON.stringify(c.apiKeyHashes).includes(ALPHA));
    assert.throws(
      () => loadConfig({ API_KEYS: 'short' }),
      (e: Error) => e instanceof ConfigError && /at least 16 characters/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ API_KEYS_FILE: path.join(dir, 'missing.txt') }),
      /API_KEYS_FILE cannot be read \(ENOENT\)/,
    );
    writeFileSync(path.join(dir, 'bad.txt'), 'sha256:abc\n');
    assert.throws(() => loadConfig({ API_KEYS_FILE: path.join(dir, 'bad.txt') }), /64 hex digits/);
    assert.throws(() => loadConfig({ API_KEYS_OPEN: 'docs' }), /API_KEYS_OPEN/);
    assert.equal(loadConfig({}).apiKeyHashes.length, 0);
  });

  it('without keys, jobs stay readable by anyone (no owner)', async (t) => {
    const app = await buildApp(testConfig(), { logger: false });
    t.after(() => app.close());
    const res = await submit(app, await textImage(GUARDED), keyed({}));
    assert.equal(res.statusCode, 202);
    assert.equal((await waitForResult(app, res.json().job_id)).statusCode, 200);
  });
});
