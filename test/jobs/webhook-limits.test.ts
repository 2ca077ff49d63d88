// Hostile webhook receivers and targets (issue 10, items 1 and 9): an answer of gigabytes is not
// read, and no special-purpose address (nor an IPv6 form carrying one) is reached.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';

import { ApiError } from '../../src/errors.js';
import { addressProblem, guardedLookup } from '../../src/jobs/address-policy.js';
import { WebhookSender, checkCallbackUrl } from '../../src/jobs/webhook.js';
import type { JobRecord } from '../../src/jobs/types.js';

const record: JobRecord = {
  id: 'j1',
  status: 'completed',
  kind: 'image',
  filename: 'a.png',
  fileSize: 1,
  createdAt: Date.now(),
  progress: { pages_done: 1, total_pages: 1 },
  cached: false,
};

describe('webhook answers', () => {
  it('webhook answer of unbounded size is not read whole', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(1 << 20, 120);
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      // 200 OK, then a body that never ends (stopped after 20 s so the test stays bounded).
      const stopAt = Date.now() + 20_000;
      const pump = () => {
        while (Date.now() < stopAt && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const events: string[] = [];
    const log = { info: (_o: object, m: string) => events.push(m), warn: (_o: object, m: string) => events.push(m) };
    const sender = new WebhookSender({
      secret: '',
      allowPrivate: true,
      attempts: 1,
      backoffMs: 0,
      timeoutMs: 15_000,
      log,
    });
    const rssBefore = process.memoryUsage().rss;
    const start = Date.now();
    sender.send(`http://127.0.0.1:${port}/hook`, record);
    await sender.close(16_000);
    const elapsed = Date.now() - start;
    const grew = process.memoryUsage().rss - rssBefore;
    server.closeAllConnections();
    server.close();
    assert.deepEqual(events, ['webhook delivered']);
    assert.ok(elapsed < 3000, `delivery took ${elapsed} ms`);
    assert.ok(sent < 64 << 20, `the receiver wrote ${sent >> 20} MB before the client hung up`);
    assert.ok(grew < 64 << 20, `RSS grew ${grew >> 20} MB`);
  });
});

describe('webhook targets', () => {
  const refused = [
    'http://[::127.0.0.1]/', // IPv4-compatible
    'http://[::ffff:0:127.0.0.1]/', // SIIT (rfc6145)
    'http://[::ffff:127.0.0.1]/', // IPv4-mapped
    'http://[2002:7f00:1::]/', // 6to4 of 127.0.0.1
    'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', // Teredo, client 127.0.0.1
    'http://[64:ff9b::a9fe:a9fe]/', // NAT64 of 169.254.169.254
    'http://[64:ff9b:1::1]/', // local-use NAT64
    'http://192.0.2.10/', // documentation
    'http://198.51.100.7/',
    'http://203.0.113.1/',
    'http://198.18.0.1/', // benchmarking
    'http://[2001:db8::1]/', // documentation v6
    'http://[2001:2::1]/', // benchmarking v6
    'http://[fec0::1]/', // site-local
    'http://[100::1]/', // discard
    'http://0.0.0.0/',
    'http://255.255.255.255/',
    'http://100.64.0.1/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[ff02::1]/',
    'http://[4000::1]/', // unassigned
  ];
  for (const url of refused) {
    it(`webhook target ${url} is refused (special-purpose address)`, async () => {
      await assert.rejects(
        checkCallbackUrl(url, false),
        (err: unknown) => err instanceof ApiError && err.statusCode === 400,
      );
    });
  }

  it('webhook targets on public addresses, also embedded in IPv6, are accepted', async () => {
    for (const url of [
      'http://8.8.8.8/',
      'http://[2606:4700:4700::1111]/',
      'http://[::ffff:8.8.8.8]/',
      'http://[2002:808:808::1]/',
      'http://[64:ff9b::808:808]/',
    ]) {
      assert.equal(await checkCallbackUrl(url, false), new URL(url).toString(), url);
    }
    assert.equal(addressProblem('172.32.0.1'), undefined);
    assert.match(addressProblem('2002:7f00:1::')!, /6to4 → loopback/);
  });

  it('webhook connection is refused at connect time when the name resolves to a private address', async () => {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup('localhost', {}, (e) => resolve(e)),
    );
    assert.equal(err?.code, 'EPRIVATE');
    assert.match(err!.message, /loopback/);
  });
});
