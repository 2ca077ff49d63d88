// scripts/release.sh for real, against a local registry (Debian's docker-registry): both images and
// the chart pushed, the local images removed, pulled back, the CPU image run and compared with the
// host CLI, the chart pulled with `helm pull oci://` and rendered with the pushed images by default.
// Runs after image-cpu/image-cuda (file order), so the build reuses their layer cache: only the
// version stamp and labels are new. The CUDA image is built on the stand-in base (image-cuda.test).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { PDFDocument } from 'pdf-lib';

import { result } from '../redis/procs.js';
import { submitJob } from '../submit.js';
import {
  CORPUS_PDF,
  DOCKER,
  ROOT,
  cleanup,
  docker,
  dockerMissing,
  makeBaseImages,
  published,
  sentencesPng,
  uid,
  waitHttp,
} from './docker.js';
import { helm, helmBinary } from './helm.js';
import { type Registry, registryMissing, startRegistry } from './registry.js';

const run = promisify(execFile);
const SCRIPT = path.join(ROOT, 'scripts', 'release.sh');
const VERSION = '0.0.0-test';

describe('scripts/release.sh arguments', () => {
  const release = (...args: string[]) => spawnSync(SCRIPT, args, { encoding: 'utf8' });
  it('refuses a version that is not semver and a registry that is not HOST[/NAMESPACE], before building anything', () => {
    for (const [args, message] of [
      [['--registry', 'ghcr.io/acme', '--version', 'v1.2.3'], /not MAJOR\.MINOR\.PATCH/],
      [['--registry', 'ghcr.io/acme', '--version', '1.2'], /not MAJOR\.MINOR\.PATCH/],
      [['--registry', 'ghcr.io/acme', '--version', '1.2.3+build.5'], /not MAJOR\.MINOR\.PATCH/],
      [['--registry', 'ghcr.io/Acme', '--version', '1.2.3'], /not HOST\[:PORT\]\[\/NAMESPACE\]/],
      [['--version', '1.2.3'], /Usage|release\.sh --registry/],
      [['--registry', 'ghcr.io/acme', '--version', '1.2.3', '--bogus'], /unknown argument --bogus/],
    ] as const) {
      const r = release(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  });
});

const skip = dockerMissing() ?? registryMissing();
const name = `${uid}-release`;

describe('scripts/release.sh --push to a local registry', { skip }, () => {
  let registry: Registry;
  let image: string;
  let tmp: string;
  let revision: string;

  before(async () => {
    await makeBaseImages();
    registry = await startRegistry();
    image = `${registry.host}/test/ocr-service`;
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ocr-release-'));
    revision = (await run('git', ['rev-parse', 'HEAD'], { cwd: ROOT })).stdout.trim();
    const started = Date.now();
    const { stdout } = await run(SCRIPT, ['--registry', `${registry.host}/test`, '--version', VERSION, '--push'], {
      cwd: ROOT,
      timeout: 2_400_000,
      maxBuffer: 256 << 20,
      env: { ...process.env, DOCKER, HELM: helmBinary() },
    }).catch((err: Error & { stderr?: string; stdout?: string }) => {
      throw new Error(
        `release.sh failed: ${err.message}\n${(err.stdout ?? '').slice(-3000)}\n${(err.stderr ?? '').slice(-6000)}`,
      );
    });
    console.log(
      `# release.sh built and pushed both images and the chart in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.match(stdout, /pushed oci:\/\/.*\/test\/charts\/ocr-service:0\.0\.0-test/);
    // A clean state: the tags release.sh made are gone, so what runs below comes from the registry.
    await docker(['rmi', `${image}:${VERSION}`, `${image}:${VERSION}-cuda`]);
    await assert.rejects(docker(['image', 'inspect', `${image}:${VERSION}`]));
    await docker(['pull', '-q', `${image}:${VERSION}`], 600_000);
    await docker(['pull', '-q', `${image}:${VERSION}-cuda`], 600_000);
  });
  after(async () => {
    await cleanup([name]);
    await docker(['rmi', `${image}:${VERSION}`, `${image}:${VERSION}-cuda`]).catch(() => {});
    await registry?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the registry holds VERSION and VERSION-cuda, and no latest tags for a pre-release', async () => {
    const { status, body } = await registry.api('/v2/test/ocr-service/tags/list');
    assert.equal(status, 200);
    assert.deepEqual([...(body as { tags: string[] }).tags].sort(), [VERSION, `${VERSION}-cuda`]);
  });

  it('the registry serves every blob of both manifests (the pulls did not lean on local layers)', async () => {
    for (const tag of [VERSION, `${VERSION}-cuda`]) {
      const { status, body } = await registry.api(`/v2/test/ocr-service/manifests/${tag}`);
      assert.equal(status, 200, tag);
      const m = body as { config: { digest: string }; layers: { digest: string; size: number }[] };
      assert.ok(m.layers.length > 3, `${tag}: ${m.layers.length} layers`);
      for (const { digest } of [m.config, ...m.layers]) {
        const res = await fetch(`http://${registry.host}/v2/test/ocr-service/blobs/${digest}`, { method: 'HEAD' });
        assert.equal(res.status, 200, `${tag} ${digest}`);
      }
    }
  });

  it('both pulled images carry the OCI labels: version, revision, source, licenses', async () => {
    for (const tag of [VERSION, `${VERSION}-cuda`]) {
      const labels = JSON.parse(
        await docker(['image', 'inspect', `${image}:${tag}`, '--format', '{{json .Config.Labels}}']),
      );
      assert.equal(labels['org.opencontainers.image.version'], VERSION, tag);
      assert.equal(labels['org.opencontainers.image.revision'], revision, tag);
      assert.equal(labels['org.opencontainers.image.licenses'], 'Apache-2.0', tag);
      assert.ok(labels['org.opencontainers.image.source'], tag);
    }
    const env = JSON.parse(
      await docker(['image', 'inspect', `${image}:${VERSION}-cuda`, '--format', '{{json .Config.Env}}']),
    );
    assert.ok(env.includes('USE_GPU=true'));
  });

  it('the pulled CPU image runs, GET /health reports the release version, a page reads as with the host CLI', async () => {
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
      '-p',
      '127.0.0.1::5000',
      '-e',
      'OCR_WORKERS=1',
      '-e',
      'OCR_THREADS_PER_WORKER=2',
      `${image}:${VERSION}`,
    ]);
    const base = await published(name, 5000);
    await waitHttp(`${base}/health/ready`, name);
    const health = (await (await fetch(`${base}/health`)).json()) as { version: string };
    assert.equal(health.version, VERSION);

    // Page 2 of the corpus PDF at 150 dpi, else (no corpus here) the rendered sentences.
    let file: string, route: string, cli: string[];
    if (existsSync(CORPUS_PDF)) {
      const src = await PDFDocument.load(readFileSync(CORPUS_PDF));
      const doc = await PDFDocument.create();
      doc.addPage((await doc.copyPages(src, [1]))[0]);
      file = path.join(tmp, 'p2.pdf');
      writeFileSync(file, await doc.save());
      [route, cli] = ['/ocr/pdf?dpi=150', ['--dpi', '150']];
    } else {
      console.log(`# ${CORPUS_PDF} is absent: the sentences image instead of a corpus page`);
      file = path.join(tmp, 'sentences.png');
      writeFileSync(file, await sentencesPng());
      [route, cli] = ['/ocr/image', []];
    }
    const id = await submitJob(base, readFileSync(file), { url: route, filename: path.basename(file) });
    await result(base, id, 180_000);
    const served = await (await fetch(`${base}/ocr/job/${id}/result?format=txt`)).text();
    const host = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), ...cli, file], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    assert.equal(host.status, 0, host.stderr);
    assert.ok(served.trim().length > 40, served);
    assert.equal(served.trim(), host.stdout.trim());
  });

  it('helm pull oci:// gets the chart at VERSION; it renders the pushed images with no --set', async () => {
    await helm([
      'pull',
      `oci://${registry.host}/test/charts/ocr-service`,
      '--version',
      VERSION,
      '--plain-http',
      '--destination',
      tmp,
    ]);
    const tgz = path.join(tmp, `ocr-service-${VERSION}.tgz`);
    const { stdout: chart } = await helm(['show', 'chart', tgz]);
    assert.match(chart, /^version: 0\.0\.0-test$/m);
    assert.match(chart, /^appVersion: "?0\.0\.0-test"?$/m);
    const images = async (args: string[]) => {
      const { stdout } = await helm(['template', 'ocr', tgz, '--namespace', 'ocr', ...args]);
      return [...stdout.matchAll(/^\s+image: "?([^"\s]+)"?$/gm)]
        .map((m) => m[1])
        .filter((i) => i.includes('ocr-service'));
    };
    const cpu = await images([]);
    assert.ok(cpu.length >= 2, `api and worker images: ${cpu}`);
    for (const i of cpu) assert.equal(i, `${image}:${VERSION}`);
    const gpu = await images(['--set', 'worker.gpu.enabled=true']);
    assert.ok(gpu.includes(`${image}:${VERSION}-cuda`), `GPU workers run the -cuda image: ${gpu}`);
    // The chart in git is unchanged: release.sh set the registry in its packaged copy only.
    assert.match(
      readFileSync(path.join(ROOT, 'helm', 'ocr-service', 'values.yaml'), 'utf8'),
      /repository: ghcr\.io\/<owner>\/ocr-service/,
    );
  });
});
