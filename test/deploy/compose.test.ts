// deploy/compose.yaml and the GPU override, read as Compose reads them (no Docker needed): the
// shape the README promises. stack.test.ts runs the same services for real.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { parse } from 'yaml';

import { COMPOSE_FILE, composeServices } from './compose.js';

const GPU_FILE = path.join(path.dirname(COMPOSE_FILE), 'compose.gpu.yaml');

describe('compose files', () => {
  const s = composeServices({});

  it('API replicas run no OCR, workers run `npm run worker`, all on the one Redis', () => {
    assert.ok((s.api.deploy?.replicas ?? 1) >= 2);
    assert.equal(s.api.environment!.WORKER_IN_PROCESS, 'false');
    assert.deepEqual(s.api.command, ['npm', 'start']);
    assert.deepEqual(s.worker.command, ['npm', 'run', 'worker']);
    for (const n of ['api', 'worker']) assert.equal(s[n].environment!.REDIS_URL, 'redis://redis:6379', n);
    assert.equal(s.api.image, s.worker.image);
  });

  it("workers have a healthcheck on their own port's /health/ready", () => {
    const h = s.worker.healthcheck as { test: string[]; disable?: boolean };
    assert.ok(!h.disable);
    assert.match(h.test.join(' '), /METRICS_PORT\|\|9464\)\+'\/health\/ready'/);
  });

  it('Redis appends to a file on a named volume; nginx serves deploy/nginx/ocr.conf on loopback by default', () => {
    assert.ok(s.redis.command!.join(' ').includes('--appendonly yes'));
    assert.ok(s.redis.volumes!.some((v) => /^[\w-]+:\/data$/.test(v)));
    const conf = s.nginx.volumes!.find((v) => v.includes('ocr.conf'))!;
    assert.ok(existsSync(path.resolve(path.dirname(COMPOSE_FILE), conf.split(':')[0])));
    assert.ok(s.nginx.command!.join(' ').includes('__UPSTREAM__/api:5000'));
    assert.match(s.nginx.ports![0], /^127\.0\.0\.1:\d+:80$/);
  });

  it('the GPU override reserves an NVIDIA GPU for the workers and runs the CUDA image', () => {
    const gpu = parse(readFileSync(GPU_FILE, 'utf8')) as { services: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(Object.keys(gpu.services), ['worker']);
    const w = gpu.services.worker;
    assert.equal(w.build.target, 'cuda');
    assert.match(w.image, /cuda/);
    assert.equal(w.environment.USE_GPU, 'true');
    const [dev] = w.deploy.resources.reservations.devices;
    assert.equal(dev.driver, 'nvidia');
    assert.ok(dev.capabilities.includes('gpu') && dev.count >= 1);
  });
});
