// The CPU image of the shipped Dockerfile, built and run as users run it: default command, read-only
// root file system with a /tmp tmpfs, all capabilities dropped, no privilege escalation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { PDFDocument } from 'pdf-lib';

import { corpusPath, withoutCorpus } from '../corpus.js';
import { norm } from '../helper.js';
import { result } from '../redis/procs.js';
import { submitJob } from '../submit.js';
import {
  CORPUS_PDF,
  PAGE2_PHRASES,
  SENTENCES,
  buildImage,
  cleanup,
  docker,
  dockerMissing,
  exitCode,
  imageSizeMB,
  logs,
  published,
  sentencesPng,
  uid,
  waitHttp,
} from './docker.js';

const skip = dockerMissing();
const name = `${uid}-cpu`;
let image: string;
let base: string;

describe('CPU image', { skip }, () => {
  before(async () => {
    image = await buildImage('cpu');
    await docker([
      'run',
      '-d',
      '--name',
      name,
      '--read-only',
      '--tmpfs',
      '/tmp:rw,size=256m',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '-p',
      '127.0.0.1::5000',
      '-e',
      'OCR_WORKERS=1',
      '-e',
      'OCR_THREADS_PER_WORKER=2',
      image,
    ]);
    base = await published(name, 5000);
    await waitHttp(`${base}/health/ready`, name);
  });
  after(() => cleanup([name]));

  it('is at most 640 MB and carries the OCI labels, port, user, health check and commands', async () => {
    const size = await imageSizeMB(image);
    console.log(`# CPU image: ${size.toFixed(0)} MB`);
    // 604 MB on the local stand-in base: Node 24's runtime and the two Cyrillic recognizers (16 MB) grew it.
    assert.ok(size <= 640, `${size} MB`);
    const cfg = JSON.parse(await docker(['image', 'inspect', image, '--format', '{{json .Config}}']));
    assert.equal(cfg.User, '10001:10001');
    assert.ok('5000/tcp' in cfg.ExposedPorts);
    assert.deepEqual(cfg.Entrypoint, ['/usr/local/bin/tini', '-g', '--']);
    assert.deepEqual(cfg.Cmd, ['npm', 'start']);
    assert.match(cfg.Healthcheck.Test.join(' '), /\/health\/alive/);
    for (const l of ['title', 'description', 'version', 'revision', 'licenses'])
      assert.ok(cfg.Labels[`org.opencontainers.image.${l}`], l);
    assert.equal(
      cfg.Labels['org.opencontainers.image.version'],
      JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version,
    );
  });

  it('holds no compiler, headers or dev dependencies', async () => {
    const out = await docker([
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      image,
      '-c',
      'for p in /usr/bin/g++ /usr/bin/cmake /usr/include/opencv4 /app/node_modules/com.github.asus4.onnxruntime /app/node_modules/typescript /app/node_modules/onnxruntime-node/bin; do [ -e $p ] && echo present $p; done; echo checked',
    ]);
    assert.equal(out, 'checked');
  });

  it('runs every process as uid 10001, none as root', async () => {
    // args, not comm: Node 24 names its main thread "MainThread", which is what comm shows.
    const rows = (await docker(['top', name, '-o', 'uid,pid,args']))
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/));
    assert.ok(rows.length >= 2, 'tini and node at least');
    for (const [uidCol, , cmd] of rows) assert.equal(uidCol, '10001', `${cmd} runs as uid ${uidCol}`);
    const program = (r: string[]) => r[2].split('/').pop();
    assert.ok(rows.some((r) => program(r) === 'tini') && rows.some((r) => program(r) === 'node'));
  });

  it('the image HEALTHCHECK command succeeds', async () => {
    const cfg = JSON.parse(await docker(['image', 'inspect', image, '--format', '{{json .Config.Healthcheck.Test}}']));
    assert.equal(cfg[0], 'CMD');
    await docker(['exec', name, ...cfg.slice(1)]);
  });

  it('serves the web page and its scripts at /', async () => {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    for (const src of html.match(/(?:src|href)="\/?([\w.-]+\.(?:js|css))"/g) ?? []) {
      const file = /"\/?([\w.-]+)"/.exec(src)![1];
      assert.equal((await fetch(`${base}/${file}`)).status, 200, file);
    }
  });

  it('OCRs an image with the text the native engine test reads', async () => {
    const r = await result(
      base,
      await submitJob(base, await sentencesPng(), { url: '/ocr/image', filename: 'sentences.png' }),
      90_000,
    );
    assert.deepEqual(
      (r.lines as { text: string }[]).map((l) => l.text),
      SENTENCES,
    );
  });

  it('OCRs a page of a corpus PDF', { skip: withoutCorpus('pdf/cvs-paper.pdf') }, async () => {
    const src = await PDFDocument.load(readFileSync(CORPUS_PDF));
    const doc = await PDFDocument.create();
    const [page] = await doc.copyPages(src, [1]);
    doc.addPage(page);
    const r = await result(
      base,
      await submitJob(base, Buffer.from(await doc.save()), { url: '/ocr/pdf?dpi=150', filename: 'p2.pdf' }),
      120_000,
    );
    assert.equal(r.total_pages, 1);
    const text = norm(String(r.full_text));
    for (const phrase of PAGE2_PHRASES) assert.ok(text.includes(norm(phrase)), phrase);
  });

  // Regression: with dash running the npm script, SIGTERM killed the shell, npm exited 143 and the
  // container stopped under node while it was still draining.
  it(
    'SIGTERM with a job just submitted reaches node through tini and npm: graceful exit 0',
    { skip: withoutCorpus('dev/cvs-paper_p002.png') },
    async () => {
      const page = readFileSync(corpusPath('dev', 'cvs-paper_p002.png'));
      // The corpus page is larger than the default image limits allow; a PDF of it is not.
      const doc = await PDFDocument.create();
      const png = await doc.embedPng(page);
      doc.addPage([612, 792]).drawImage(png, { x: 0, y: 0, width: 612, height: 792 });
      await submitJob(base, Buffer.from(await doc.save()), { url: '/ocr/pdf?dpi=200', filename: 'scan.pdf' });
      await docker(['kill', '--signal', 'TERM', name]);
      assert.equal(await exitCode(name), 0, (await logs(name)).slice(-2000));
      assert.match(await logs(name), /shutting down/);
    },
  );
});
