// exitAfterLogs: the process ends at once (native exit), yet every line logged before reaches stdout.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';

import { ROOT } from '../src/models/manifest.js';

it('exitAfterLogs ends the process with every line logged before it on stdout', () => {
  const exit = path.join(ROOT, 'dist', 'src', 'exit.js');
  const script = `
    import pino from 'pino';
    import { exitAfterLogs } from ${JSON.stringify(exit)};
    const log = pino();
    for (let i = 0; i < 5000; i++) log.info({ i, pad: 'x'.repeat(200) }, 'line');
    log.info('worker stopped');
    exitAfterLogs(log, 3);
  `;
  for (let run = 0; run < 3; run++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.equal(r.status, 3, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 5001, `run ${run}: ${lines.length} lines`);
    assert.equal(JSON.parse(lines.at(-1)!).msg, 'worker stopped');
  }
});
