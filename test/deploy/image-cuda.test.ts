// The CUDA stage of the shipped Dockerfile, built on a local stand-in of the NVIDIA base image that
// has no CUDA in it (no GPU and no registry here): it must start on the CPU provider with
// USE_GPU=false, and with USE_GPU=true stop at once naming the CUDA library it cannot load.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { result } from '../redis/procs.js';
import { submit } from '../submit.js';
import {
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
const names = [`${uid}-cuda-cpu`, `${uid}-cuda-gpu`];
let image: string;

describe('CUDA image (on the stand-in base)', { skip }, () => {
  before(async () => {
    image = await buildImage('cuda');
  });
  after(() => cleanup(names));

  it('defaults to USE_GPU=true, runs as uid 10001, carries the CUDA provider beside libonnxruntime.so.1', async () => {
    console.log(
      `# CUDA image on the stand-in base (no CUDA libraries in it): ${(await imageSizeMB(image)).toFixed(0)} MB`,
    );
    const cfg = JSON.parse(await docker(['image', 'inspect', image, '--format', '{{json .Config}}']));
    assert.ok(cfg.Env.includes('USE_GPU=true'));
    assert.equal(cfg.User, '10001:10001');
    const ls = await docker(['run', '--rm', '--entrypoint', 'ls', image, '/app/build/Release']);
    for (const f of [
      'libonnxruntime.so.1',
      'libonnxruntime_providers_cuda.so',
      'libonnxruntime_providers_shared.so',
      'ocr_native.node',
    ]) {
      assert.ok(ls.split('\n').includes(f), `${f} in build/Release: ${ls}`);
    }
  });

  it('starts and OCRs with USE_GPU=false', async () => {
    const name = names[0];
    await docker([
      'run',
      '-d',
      '--name',
      name,
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--cap-drop',
      'ALL',
      '-p',
      '127.0.0.1::5000',
      '-e',
      'USE_GPU=false',
      '-e',
      'OCR_WORKERS=1',
      image,
    ]);
    const base = await published(name, 5000);
    await waitHttp(`${base}/health/ready`, name);
    const res = await submit(base, await sentencesPng(), { filename: 's.png' });
    const r = await result(base, ((await res.json()) as { job_id: string }).job_id, 90_000);
    assert.deepEqual(
      (r.lines as { text: string }[]).map((l) => l.text),
      SENTENCES,
    );
  });

  it('with USE_GPU=true and no CUDA runtime, start-up fails naming the missing library', async () => {
    const name = names[1];
    await docker(['run', '-d', '--name', name, '-e', 'OCR_WORKERS=1', image]);
    const code = await exitCode(name, 90_000);
    const out = await logs(name);
    assert.notEqual(code, 0, out);
    assert.match(out, /Failed to load library \/app\/build\/Release\/libonnxruntime_providers_cuda\.so/);
    assert.match(out, /lib(cublas|cublasLt|cudart|cudnn)[\w.]*\.so[\d.]*: cannot open shared object file/);
  });
});
