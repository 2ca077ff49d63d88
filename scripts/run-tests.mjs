#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node:test, one file at a time:
// the tests load real models and the machine has two cores.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', 'dist', 'test');
const filter = process.argv[2];
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js') && (!filter || p.includes(filter))) files.push(p);
  }
})(root);
if (!files.length) {
  console.error(`no test files under ${root}${filter ? ` matching ${filter}` : ''}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
