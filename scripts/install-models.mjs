#!/usr/bin/env node
// Installs the model files the default sets need into models/<set>/ (git-ignored), each checked
// against models/manifest.json: from ../shared/models when it is there, else the official download.
//   npm run models:install [-- <set>...] [--shared DIR] [--base-url URL]
// Run by scripts/setup.sh after the build (uses dist/). On an offline machine, copy the models folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const lib = path.join(root, 'dist', 'src', 'models', 'install.js');
if (!existsSync(lib)) {
  console.error(`${path.relative(root, lib)} is missing; run: npm run build:ts`);
  process.exit(1);
}
const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { shared: { type: 'string' }, 'base-url': { type: 'string' } },
});
const { installModelSet, installedSets } = await import(pathToFileURL(lib).href);
const sets = positionals.length ? positionals : installedSets();
for (const set of sets) {
  try {
    await installModelSet(set, {
      sharedDir: opt.shared ? path.resolve(opt.shared) : undefined,
      baseUrl: opt['base-url'],
      onEvent: (ev) =>
        console.log(
          `${set}: ${ev.name} ${ev.how === 'present' ? 'present, sha256 ok' : `${ev.how} from ${ev.from}, sha256 ok`}`,
        ),
    });
  } catch (err) {
    console.error(`${set}: ${err.message}`);
    process.exit(1);
  }
}
console.log(`model files installed in ${path.join(root, 'models')}: ${sets.join(', ')}`);
