// Contract gaps (issue 10, item 10): every error is { error, message } with the documented status.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { build, submit, textImage } from '../../helper.js';
import { textPdf } from '../../pdf/fixtures.js';

let app: FastifyInstance;
const errorBody = (body: unknown) => assert.deepEqual(Object.keys(body as object).sort(), ['code', 'error', 'message']);

describe('contract', () => {
  before(async () => {
    app = await build(null);
  });
  after(() => app?.close());

  it('non-multipart POST is a 400 (urlencoded, text, octet-stream)', async () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'application/octet-stream',
      'image/png',
      'text/plain',
      'application/json',
    ]) {
      for (const url of ['/ocr/image', '/ocr/pdf', '/ocr/batch']) {
        const res = await app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': type },
          payload: type === 'application/json' ? '{}' : 'a=1',
        });
        assert.equal(res.statusCode, 400, `${type} ${url}: ${res.body}`);
        errorBody(res.json());
      }
    }
  });

  it('over-long job id is a 414 with the { error, message } body', async () => {
    const res = await app.inject({ method: 'GET', url: `/ocr/job/${'a'.repeat(500)}` });
    assert.equal(res.statusCode, 414);
    errorBody(res.json());
    assert.equal(res.json().error, 'URI Too Long');
    const bad = await app.inject({ method: 'GET', url: '/ocr/job/%E0%A4%A' });
    assert.equal(bad.statusCode, 400);
    errorBody(bad.json());
  });

  it('dpi=0x12c and other non-decimal integers are a 400', async () => {
    const pdf = await textPdf(['HI']);
    for (const dpi of ['0x12c', '3e2', '300.0', ' 300', '+300', '0b100101100']) {
      const res = await submit(app, pdf, { url: `/ocr/pdf?dpi=${encodeURIComponent(dpi)}`, filename: 'a.pdf' });
      assert.equal(res.statusCode, 400, `dpi=${dpi}: ${res.body}`);
      errorBody(res.json());
    }
    const ok = await submit(app, pdf, { url: '/ocr/pdf?dpi=150', filename: 'a.pdf' });
    assert.equal(ok.statusCode, 202, ok.body);
  });

  it('pages[]=1 and repeated query parameters are a 400, not ignored', async () => {
    const pdf = await textPdf(['HI', 'THERE']);
    for (const q of ['pages[]=1', 'pages[0]=1', 'pages=1&pages=2', 'dpi=150&dpi=200']) {
      const res = await submit(app, pdf, { url: `/ocr/pdf?${q}`, filename: 'a.pdf' });
      assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
      errorBody(res.json());
    }
  });

  it('X-Request-Id is echoed only when 1-128 printable characters, else one is generated', async () => {
    const echo = async (id: string) =>
      (await app.inject({ method: 'GET', url: '/health/alive', headers: { 'x-request-id': id } })).headers[
        'x-request-id'
      ];
    assert.equal(await echo('abc-123_XYZ.req:1'), 'abc-123_XYZ.req:1');
    assert.equal(await echo('r'.repeat(128)), 'r'.repeat(128));
    for (const bad of ['r'.repeat(129), 'has space', 'tab\there', 'ünïcode', '<script>"x"</script>\u0001']) {
      const got = String(await echo(bad));
      assert.notEqual(got, bad);
      assert.match(got, /^[0-9a-f-]{36}$/, `generated for ${JSON.stringify(bad)}`);
    }
    const image = await textImage('HELLO');
    const res = await submit(app, image, { filename: 'a.png', headers: { 'x-request-id': 'x'.repeat(10_000) } });
    assert.equal(res.statusCode, 202, res.body);
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });
});
