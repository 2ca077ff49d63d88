// The fuzz harness (scripts/fuzz-api.mjs), short run: every fixed hostile case (bombs, protocol
// abuse, contract abuse, valid files of each type) and then seeded mutations for 75 s against a
// started server; it fails on a 5xx, a stalled /health/alive, RSS over 2.5 GB or a job that does
// not end. The longer run is documented in README "Security".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../scripts/fuzz-api.mjs', import.meta.url));

it(
  'fuzz-api: hostile inputs of every type leave the server answering, bounded and 5xx-free',
  { timeout: 180_000 },
  async () => {
    const child = spawn(
      process.execPath,
      [SCRIPT, '--seconds', '75', '--seed', '20261202', '--max-rss-mb', '2500', '--job-seconds', '60'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, out.slice(-6000));
    const summary = /fuzz-api: (\d+) cases \((\d+) of (\d+) fixed\), (\d+) failed/.exec(out);
    assert.ok(summary, out.slice(-2000));
    const [, cases, fixedRun, fixed, failed] = summary.map(Number);
    assert.equal(failed, 0);
    assert.equal(fixedRun, fixed, 'every fixed case ran');
    assert.ok(cases > fixed, `only ${cases} cases ran`);
  },
);
