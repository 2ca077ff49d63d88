#!/usr/bin/env node
// Rewrites the generated parts of the docs from the code's own lists (src/generated-docs.ts): the
// engine options table of docs/engine.md, the settings tables of docs/configuration.md and
// README.md, and env.example. Reads the compiled tree, so build first: `npm run build:ts`.
// `--check` writes nothing and exits 1 when a file differs.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const lib = path.join(root, 'dist', 'src', 'generated-docs.js');
if (!existsSync(lib)) {
  console.error(`${path.relative(root, lib)} is missing; run: npm run build:ts`);
  process.exit(1);
}
const { GENERATED, compare } = await import(pathToFileURL(lib).href);
const check = process.argv.includes('--check');

let stale = 0;
for (const part of GENERATED) {
  const { onDisk, rendered } = compare(part);
  if (onDisk === rendered) continue;
  stale++;
  if (check) console.error(`${part.file}: out of date`);
  else {
    writeFileSync(path.join(root, part.file), rendered);
    console.log(`${part.file}: rewritten`);
  }
}
if (!stale) console.log('generated docs are up to date');
process.exitCode = check && stale ? 1 : 0;
