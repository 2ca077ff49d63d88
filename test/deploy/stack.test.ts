// The Compose stack for real: nginx → 2 API replicas (WORKER_IN_PROCESS=false) → Redis ← workers,
// all containers of the shipped images on one Docker network, run as deploy/compose.yaml says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { PDFDocument } from 'pdf-lib';
import { parse } from 'yaml';

import { norm } from '../helper.js';
import { result, untilProcessing } from '../redis/procs.js';
import { submitJob } from '../submit.js';
import { composeServices, runArgs } from './compose.js';
import {
  CORPUS_PDF,
  PAGE2_PHRASES,
  ROOT,
  SENTENCES,
  buildImage,
  cleanup,
  docker,
  dockerMissing,
  exitCode,
  logs,
  published,
  sentencesPng,
  uid,
  waitHttp,
  waitLog,
} from './docker.js';

const skip = dockerMissing();
const network = `${uid}-net`;
const containers: string[] = [];
const volumes = [`${uid}-redis-data`];
// Short lock and stalled-job check so a killed worker's job comes back in seconds, not a minute.
const FAST = { JOB_LOCK_MS: '4000', JOB_STALLED_INTERVAL_MS: '2000', RATE_LIMIT_PER_MINUTE: '0' };
let base: string;
let services: ReturnType<typeof composeServices>;

async function start(service: string, n: number): Promise<string> {
  const container = `${uid}-${service}-${n}`;
  containers.push(container);
  await docker(
    runArgs(services, service, {
      container,
      network,
      volumePrefix: uid,
      extraEnv: service === 'worker' || service === 'api' ? FAST : {},
    }),
  );
  return container;
}

async function corpusPages(pages: number[]): Promise<Buffer> {
  const src = await PDFDocument.load(readFileSync(CORPUS_PDF));
  const doc = await PDFDocument.create();
  for (const p of await doc.copyPages(src, pages)) doc.addPage(p);
  return Buffer.from(await doc.save());
}

describe('compose stack: nginx, API replicas, workers, Redis', { skip }, () => {
  const workers: string[] = [];
  before(async () => {
    const image = await buildImage('cpu');
    services = composeServices({ ...process.env, OCR_IMAGE: image, OCR_PORT: '127.0.0.1:' });
    await docker(['network', 'create', network]);
    const redis = await start('redis', 1);
    await waitLog(redis, 'Ready to accept connections');
    const apis = [];
    for (let i = 1; i <= (services.api.deploy?.replicas ?? 1); i++) apis.push(await start('api', i));
    workers.push(await start('worker', 1));
    for (const a of apis) await waitLog(a, 'Server listening');
    const nginx = await start('nginx', 1);
    base = await published(nginx, 80);
    await waitHttp(`${base}/health/ready`, nginx);
    await waitLog(workers[0], 'taking jobs from Redis');
  });
  after(async () => {
    if (process.env.OCR_TEST_KEEP_CONTAINERS) return;
    await cleanup(containers, network, volumes);
  });

  it("the worker's Compose healthcheck passes in the worker container (its /health/ready)", async () => {
    const test = services.worker.healthcheck!.test!;
    assert.equal(test[0], 'CMD');
    await docker(['exec', workers[0], ...test.slice(1)]);
    const body = await docker([
      'exec',
      workers[0],
      'node',
      '-e',
      "fetch('http://127.0.0.1:9464/health/ready').then(r=>r.text()).then(t=>console.log(t))",
    ]);
    assert.equal(JSON.parse(body).status, 'ready');
  });

  it('Redis keeps an append-only file on its volume', async () => {
    assert.match(
      await docker(['exec', `${uid}-redis-1`, 'redis-cli', 'CONFIG', 'GET', 'appendonly']),
      /appendonly\s+yes/,
    );
    assert.match(await docker(['exec', `${uid}-redis-1`, 'redis-cli', 'CONFIG', 'GET', 'dir']), /\/data/);
  });

  it('OCRs an image through nginx with the text the native test reads', async () => {
    const r = await result(
      base,
      await submitJob(base, await sentencesPng(), { url: '/ocr/image', filename: 'sentences.png' }),
      90_000,
    );
    assert.equal(r.status, 'completed');
    assert.deepEqual(
      (r.lines as { text: string }[]).map((l) => l.text),
      SENTENCES,
    );
    const health = (await (await fetch(`${base}/health`)).json()) as { ocr_service: { execution_provider: string } };
    assert.match(health.ocr_service.execution_provider, /remote/, 'the API replicas load no models');
  });

  it('the helm test script passes against the stack (the chart hook, run as its pod would)', async () => {
    const chart = path.join(ROOT, 'helm', 'ocr-service');
    const values = parse(readFileSync(path.join(chart, 'values.yaml'), 'utf8')) as { tests: { expectText: string } };
    const name = `${uid}-helm-test`;
    containers.push(name);
    await docker(
      [
        'run',
        '--name',
        name,
        '--network',
        network,
        '--read-only',
        '--cap-drop',
        'ALL',
        '--security-opt',
        'no-new-privileges',
        '-v',
        `${path.join(chart, 'files')}:/test:ro`,
        '-e',
        'OCR_URL=http://api:5000',
        '-e',
        `EXPECT_TEXT=${values.tests.expectText}`,
        '-e',
        'TIMEOUT_S=90',
        services.api.image,
        'node',
        '/test/helm-test.mjs',
      ],
      180_000,
    );
    assert.match(await logs(name), /helm test passed/);
  });

  // The corpus PDF carries its own text: pdf_text=ocr, so that its pages take OCR time to fail over in.
  it('a worker killed mid-job (docker kill): another worker finishes the job', async () => {
    const id = await submitJob(base, await corpusPages([1, 2, 3, 4]), {
      url: '/ocr/pdf?dpi=150&pdf_text=ocr',
      filename: 'four-pages.pdf',
    });
    await untilProcessing(base, id, 60_000);
    workers.push(await start('worker', 2));
    await waitLog(workers[1], 'taking jobs from Redis');
    const s = (await (await fetch(`${base}/ocr/job/${id}`)).json()) as { status: string };
    assert.equal(s.status, 'processing', 'the job must still be running on the first worker when it is killed');
    await docker(['kill', workers[0]]);
    const r = await result(base, id, 240_000);
    assert.equal(r.status, 'completed');
    assert.equal(r.total_pages, 4);
    assert.deepEqual(r.failed_pages, []);
    const text = norm(String(r.full_text));
    for (const phrase of PAGE2_PHRASES) assert.ok(text.includes(norm(phrase)), phrase);
  });

  it('SIGTERM on a worker container finishes its running job, then the worker exits 0', async () => {
    const id = await submitJob(base, await corpusPages([1, 2, 3, 4]), {
      url: '/ocr/pdf?dpi=150&pages=1-2&pdf_text=ocr',
      filename: 'two-pages.pdf',
    });
    await untilProcessing(base, id, 60_000);
    await docker(['kill', '--signal', 'TERM', workers[1]]);
    assert.equal(await exitCode(workers[1]), 0, (await logs(workers[1])).slice(-2000));
    assert.match(await logs(workers[1]), /worker stopped/);
    // No worker is left: the job can only be complete because the stopping worker finished it.
    const r = await result(base, id, 10_000);
    assert.equal(r.status, 'completed');
    assert.equal(r.total_pages, 2);
    assert.ok(norm(String(r.full_text)).includes(norm(PAGE2_PHRASES[0])));
  });
});
