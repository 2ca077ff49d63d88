// A throwaway OCI registry for the release test: Debian's docker-registry (CNCF distribution 2.8)
// on a free 127.0.0.1 port, storage in a temporary folder, no auth. Docker pushes to a loopback
// registry over plain HTTP without configuration; helm needs --plain-http.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from '../helper.js';

export const REGISTRY_BIN = process.env.DOCKER_REGISTRY ?? '/usr/bin/docker-registry';

/** Why no local registry can run here, or undefined. In CI (CI=true) a missing binary is an error. */
export function registryMissing(): string | undefined {
  if (existsSync(REGISTRY_BIN)) return undefined;
  const reason = `${REGISTRY_BIN} not found (Debian package docker-registry; scripts/setup.sh installs it)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  console.log(`# release test skipped: ${reason}`);
  return reason;
}

export interface Registry {
  /** 127.0.0.1:PORT */
  host: string;
  /** GET on the registry's HTTP API (e.g. /v2/test/ocr-service/tags/list), parsed. */
  api(pathname: string): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<Registry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocr-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      `  filesystem:`,
      `    rootdirectory: ${path.join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const proc: ChildProcess = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const host = `127.0.0.1:${port}`;
  const api = async (pathname: string) => {
    const res = await fetch(`http://${host}${pathname}`, {
      headers: {
        accept:
          'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/json',
      },
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body };
  };
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    const ok = await api('/v2/').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (proc.exitCode !== null || i > 100) {
      await stop();
      throw new Error(`docker-registry did not answer on ${host}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { host, api, stop };
}
