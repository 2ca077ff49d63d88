#!/usr/bin/env node
// Downloads a model set listed in models/manifest.json and verifies every file's sha256.
//   npm run models:download -- <set> [<set>...] [--dir DIR] [--base-url URL] [--allow-unverified]
//   npm run models:download -- --list [--dir DIR]
// Uses the compiled library (dist/); run `npm run build:ts` first.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const lib = path.join(root, 'dist', 'src', 'models', 'download.js');
const manifestLib = path.join(root, 'dist', 'src', 'models', 'manifest.js');

const USAGE = `usage: npm run models:download -- <set> [<set>...] [options]
       npm run models:download -- --list [--dir DIR]

options:
  --dir DIR             parent folder of the set folders (default models/cache)
  --base-url URL        fetch from this mirror instead of the set's source
                        (default: env OCR_MODELS_BASE_URL); paths under the source are kept
  --allow-unverified    install files that have no recorded sha256
  --timeout SECONDS     give up on a request that sends nothing for this long (default 60)
  --list                print every set and whether its files are present
  -h, --help            this text`;

function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      'base-url': { type: 'string' },
      'allow-unverified': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (err) {
  fail(`${err.message}\n\n${USAGE}`, 2);
}
const { values: opt, positionals: sets } = args;
if (opt.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!opt.list && sets.length === 0) fail(USAGE, 2);
let timeoutMs;
if (opt.timeout !== undefined) {
  const s = Number(opt.timeout);
  if (!Number.isFinite(s) || s <= 0)
    fail(`Expected a positive number of seconds for --timeout but received ${opt.timeout}`, 2);
  timeoutMs = Math.round(s * 1000);
}
if (!existsSync(lib)) fail(`${path.relative(root, lib)} is missing; run: npm run build:ts`);

const { downloadModelSet, modelSetStatus } = await import(pathToFileURL(lib).href);
const { loadManifest, DEFAULT_MODELS_DIR } = await import(pathToFileURL(manifestLib).href);
const modelsDir = opt.dir ? path.resolve(opt.dir) : DEFAULT_MODELS_DIR;
const manifest = loadManifest();

if (opt.list) {
  const width = Math.max(...Object.keys(manifest.sets).map((n) => n.length));
  for (const [name, entry] of Object.entries(manifest.sets)) {
    const st = modelSetStatus(name, { modelsDir });
    // npm sets are bundled; sets with a models/ folder are installed by setup; the rest downloaded here.
    const state =
      'npm' in entry.source
        ? 'bundled'
        : st.bundled
          ? st.present
            ? 'installed'
            : `missing (${st.missing.join(', ')}; run ./scripts/setup.sh)`
          : st.present
            ? 'present'
            : `missing (${st.missing.join(', ')})`;
    const langs = Object.entries(manifest.languages)
      .filter(([, set]) => set === name)
      .map(([lang]) => lang);
    const def = name === manifest.default ? ' default' : '';
    const mapped = langs.length ? ` OCR_LANG=${langs.join('|')}` : '';
    console.log(`${name.padEnd(width)}  ${state}${def}${mapped}  [${entry.languages.join(', ')}]`);
  }
  console.log(`\ndownloaded sets live in ${modelsDir}/<set>/`);
  if (sets.length === 0) process.exit(0);
}

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
for (const name of sets) {
  const entry = manifest.sets[name];
  if (!entry) fail(`Unknown model set "${name}"; known: ${Object.keys(manifest.sets).join(', ')}`, 2);
  if (!('url' in entry.source)) {
    const where =
      'npm' in entry.source
        ? `bundled in the npm package ${entry.source.npm}`
        : `installed into models/${entry.source.dir} by ./scripts/setup.sh (npm run models:install)`;
    console.log(`${name}: ${where}; nothing to download here`);
    continue;
  }
  try {
    await downloadModelSet(name, {
      modelsDir,
      baseUrl: opt['base-url'],
      allowUnverified: opt['allow-unverified'],
      timeoutMs,
      onEvent(ev) {
        if (ev.type === 'present') console.log(`${name}: ${ev.name} already present, sha256 ok`);
        else if (ev.type === 'start') console.log(`${name}: fetching ${ev.name} from ${ev.url}`);
        else if (ev.verified) console.log(`${name}: ${ev.name} ${mb(ev.bytes)}, sha256 ok`);
        else console.log(`${name}: ${ev.name} ${mb(ev.bytes)}, UNVERIFIED sha256 ${ev.sha256}`);
      },
    });
    console.log(`${name}: ready in ${path.join(modelsDir, name)} (use OCR_MODEL=${name})`);
  } catch (err) {
    fail(`${name}: ${err.message}`);
  }
}
