// Docker for the deploy tests: the engine check (skip with a note, or fail in CI), the local base
// images (deploy/ci/make-base-images.sh), image builds of the shipped Dockerfile, containers.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';

import sharp from 'sharp';

import { corpusPath } from '../corpus.js';
import { renderLines } from '../native/render.js';

const run = promisify(execFile);

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
/** Debian's client: BuildKit (`--secret`) without a buildx plugin. */
export const DOCKER = process.env.DOCKER ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker');
/** The same CA bundle the host trusts, for npm behind a TLS-intercepting proxy (a BuildKit secret). */
const NPM_CA = process.env.OCR_DOCKER_NPM_CA ?? '/etc/ssl/certs/ca-certificates.crt';

/** Why Docker tests cannot run here, or undefined. In CI (CI=true) a missing engine is an error. */
export function dockerMissing(): string | undefined {
  let reason: string | undefined;
  // In CI the engine may still be starting (.ci/run starts it beside setup.sh): wait up to 2 min.
  const deadline = Date.now() + (process.env.CI === 'true' ? 120_000 : 0);
  for (;;) {
    try {
      execFileSync(DOCKER, ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 20_000 });
      reason = undefined;
      break;
    } catch (err) {
      reason = `no Docker engine answers (${DOCKER} info: ${String((err as Error).message).split('\n')[0]}); start one with deploy/ci/start-dockerd.sh`;
      if (Date.now() > deadline) break;
      execFileSync('sleep', ['2']);
    }
  }
  if (reason && process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  if (reason) console.log(`# deploy tests skipped: ${reason}`);
  return reason;
}

export async function docker(args: string[], timeoutMs = 120_000): Promise<string> {
  try {
    const { stdout } = await run(DOCKER, args, {
      maxBuffer: 64 << 20,
      timeout: timeoutMs,
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
    });
    return stdout.trim();
  } catch (err) {
    const e = err as Error & { stderr?: string; stdout?: string };
    throw new Error(`docker ${args.join(' ')} failed: ${e.message}\n${e.stderr ?? ''}`.slice(0, 6000), { cause: err });
  }
}

/** The local stand-ins of the base images (deploy/ci/make-base-images.sh; kept once made). */
export async function makeBaseImages(): Promise<void> {
  await run(path.join(ROOT, 'deploy', 'ci', 'make-base-images.sh'), [], {
    timeout: 900_000,
    env: { ...process.env, DOCKER },
  });
}

/** Builds a target of the shipped Dockerfile (layer cache: a rebuild without changes takes seconds). */
export async function buildImage(target: 'cpu' | 'cuda', tag = `ocr-service:test-${target}`): Promise<string> {
  await makeBaseImages();
  // The version label and GET /health say package.json's version, as scripts/release.sh builds them.
  const args = ['build', '--target', target, '-t', tag, '--build-arg', `VERSION=${PACKAGE_VERSION}`];
  if (existsSync(NPM_CA)) args.push('--secret', `id=npm_ca,src=${NPM_CA}`);
  const started = Date.now();
  await docker([...args, ROOT], 1_500_000);
  console.log(`# built ${tag} (target ${target}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tag;
}

export async function imageSizeMB(tag: string): Promise<number> {
  return Number(await docker(['image', 'inspect', tag, '--format', '{{.Size}}'])) / 1e6;
}

/** Unique names of this test process: containers, networks, volumes. */
export const uid = `ocrt${process.pid}`;

/** Removes containers (and a network, volumes) whatever their state. */
export async function cleanup(containers: string[], network?: string, volumes: string[] = []): Promise<void> {
  if (containers.length) await docker(['rm', '-f', '-v', ...containers]).catch(() => {});
  if (network) await docker(['network', 'rm', network]).catch(() => {});
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]).catch(() => {});
}

/** The 127.0.0.1 address a container's port is published on. */
export async function published(name: string, port: number): Promise<string> {
  const out = await docker(['port', name, `${port}/tcp`]);
  const m = /127\.0\.0\.1:(\d+)/.exec(out);
  assert.ok(m, `port ${port} of ${name} is not published on 127.0.0.1: ${out}`);
  return `http://127.0.0.1:${m[1]}`;
}

export async function logs(name: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(DOCKER, ['logs', name], { maxBuffer: 64 << 20 });
    return stdout + stderr;
  } catch {
    return '';
  }
}

/**
 * Status of GET url, 0 when nothing answers. Not fetch: while the container's server is not up yet,
 * docker-proxy accepts and drops the connection, and such a fetch could stay pending with no handle
 * left, ending the test process.
 */
export function httpStatus(url: string, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

/** Waits until GET url answers `status`; fails early when the container exits. */
export async function waitHttp(url: string, container: string, timeoutMs = 90_000, status = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await httpStatus(url)) === status) return;
    const state = await docker(['inspect', container, '--format', '{{.State.Status}}']);
    assert.equal(state, 'running', `${container} is ${state}:\n${(await logs(container)).slice(-3000)}`);
    assert.ok(
      Date.now() < deadline,
      `${url} did not answer ${status} in ${timeoutMs} ms:\n${(await logs(container)).slice(-3000)}`,
    );
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function waitLog(container: string, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const l = await logs(container);
    if (l.includes(text)) return;
    assert.ok(Date.now() < deadline, `no "${text}" in the logs of ${container} in ${timeoutMs} ms:\n${l.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Exit code of a container once it has stopped. */
export async function exitCode(name: string, timeoutMs = 120_000): Promise<number> {
  return Number(await docker(['wait', name], timeoutMs));
}

/** The sentences the native engine test reads exactly, as a PNG (32 px DejaVu Sans). */
export const SENTENCES = [
  'The quick brown fox jumps over the lazy dog',
  'Order 2024-117 total 1,234.56 EUR',
  'Pack my box with five dozen liquor jugs',
];
export async function sentencesPng(): Promise<Buffer> {
  const img = await renderLines(SENTENCES, { fontSize: 32 });
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 3 } })
    .png()
    .toBuffer();
}

export const CORPUS_PDF = corpusPath('pdf', 'cvs-paper.pdf');
/** Phrases on page 2 of the corpus PDF (the e2e test reads the same page at 150 dpi). */
export const PAGE2_PHRASES = ['revision control', 'serialization', 'shell scripts'];
