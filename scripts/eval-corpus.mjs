#!/usr/bin/env node
// Runs the engine over a corpus set, writes one prediction JSON per page and prints the scorer's
// figures. Language post-processing (accents, punctuation; src/lang) is applied as the service does.
//   node scripts/eval-corpus.mjs [dev|dev-degraded|dev2|dev2-degraded] [--out DIR] [--lang MODE]
//        [--from DIR] [--model SET] [--no-diacritics] [--no-punctuation] [key=value ...]
// --lang auto (default: detected from each page's text) | gt (the page's `lang` in the ground
//   truth) | none (no post-processing: the raw engine output) | a code (fr, de, ...) for every page.
// --from DIR: post-process the raw predictions saved there (a run with --lang none) instead of
//   running the engine: text-only changes are measured in seconds.
// --rotate DEG: each page is turned clockwise by DEG (90, 180, 270) before it is read, as a page
//   scanned sideways or upside down (word F1 is the figure to compare; boxes are in the turned frame).
// key=value: recognize() options (spaceProb=0.05). PER_PAGE=1 prints a row per page.
// RESTORE_STEPS='{"ligatures":false}': override the model set's restorer steps (src/lang/diacritics.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    lang: { type: 'string', default: 'auto' },
    from: { type: 'string' },
    model: { type: 'string' },
    rotate: { type: 'string', default: '0' },
    'no-diacritics': { type: 'boolean', default: false },
    'no-punctuation': { type: 'boolean', default: false },
  },
});
const set = positionals.find((a) => !a.includes('=')) ?? 'dev';
const out = opt.out ?? path.join(os.tmpdir(), `ocr-pred-${set}-${process.pid}`);
const recOpts = {};
for (const a of positionals.filter((x) => x.includes('='))) {
  const [k, v] = a.split('=');
  recOpts[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
}
const corpus = process.env.OCR_CORPUS ?? path.resolve(import.meta.dirname, '../../shared/corpus');
const dir = path.join(corpus, set);
const gtDir = path.join(corpus, 'gt', set);
mkdirSync(out, { recursive: true });

const { postprocessLines } = await import('../dist/src/lang/index.js');
const { postprocessSettings } = await import('../dist/src/lang/resolve.js');
let engine;
// --lang auto without --model: script detection as the service does (a Cyrillic page is read
// again with the Cyrillic set; src/lang/auto-script.ts). SCRIPT_DETECT=0 turns it off.
let cyrillic;
const { readAutoScript, cyrillicSet } = await import('../dist/src/lang/auto-script.js');
if (!opt.from) {
  const { createEngine } = await import('../dist/src/native/engine.js');
  engine = await createEngine({ model: opt.model, intraOpThreads: Number(process.env.THREADS ?? 2) });
  const cyr = opt.lang === 'auto' && !opt.model && process.env.SCRIPT_DETECT !== '0' ? cyrillicSet() : undefined;
  if (cyr) {
    let c;
    cyrillic = () => (c ??= createEngine({ model: cyr, intraOpThreads: Number(process.env.THREADS ?? 2) }));
  }
}
let scriptMs = 0;
const sets = {};
const sharp = opt.from ? undefined : (await import('sharp')).default;
const turn = Number(opt.rotate);
if (![0, 90, 180, 270].includes(turn)) throw new Error(`--rotate: 0, 90, 180 or 270, not ${opt.rotate}`);
const rotations = {};
let ort = 0,
  total = 0,
  postMs = 0,
  restored = 0;
const languages = {};
for (const f of readdirSync(dir).sort()) {
  const name = f.replace(/\.[^.]+$/, '.json');
  let lines;
  let readBy = engine ? engine.modelSet : (opt.model ?? 'pp-ocrv6-tiny');
  if (opt.from) lines = JSON.parse(readFileSync(path.join(opt.from, name), 'utf8')).lines;
  else {
    const { data, info } = await sharp(path.join(dir, f)).rotate(turn).raw().toBuffer({ resolveWithObject: true });
    const r = await readAutoScript(
      engine,
      cyrillic,
      { data, width: info.width, height: info.height, channels: info.channels },
      recOpts,
    );
    scriptMs += r.scriptCheckMs;
    sets[r.modelSet] = (sets[r.modelSet] ?? 0) + 1;
    readBy = r.modelSet;
    ort += r.timings.ortRun;
    total += r.timings.total;
    rotations[r.rotation] = (rotations[r.rotation] ?? 0) + 1;
    if (process.env.PER_PAGE && r.rotation !== (360 - turn) % 360) console.log(`${f}: rotation ${r.rotation}`);
    lines = r.lines;
  }
  let language;
  if (opt.lang !== 'none') {
    const lang = opt.lang === 'gt' ? JSON.parse(readFileSync(path.join(gtDir, name), 'utf8')).lang : opt.lang;
    const t0 = performance.now();
    const p = postprocessLines(lines, {
      lang,
      diacritics: !opt['no-diacritics'],
      punctuation: !opt['no-punctuation'],
      // --from: --model names the set that made the saved predictions (default the bundled one).
      ...postprocessSettings(readBy),
      ...(process.env.RESTORE_STEPS ? { restoreSteps: JSON.parse(process.env.RESTORE_STEPS) } : {}),
    });
    postMs += performance.now() - t0;
    ({ lines, language } = p);
    restored += p.restored;
    languages[language] = (languages[language] ?? 0) + 1;
  }
  writeFileSync(path.join(out, name), JSON.stringify({ lines, language }));
}
const scoreArgs = [path.join(corpus, 'score.mjs'), gtDir, out];
if (set.includes('degraded')) scoreArgs.push('--box-field', 'bbox_rot');
if (process.env.PER_PAGE) scoreArgs.push('--per-page');
const report = execFileSync(process.execPath, scoreArgs, { encoding: 'utf8' });
console.log(report.trim());
if (engine)
  console.log(
    `engine ms total=${total.toFixed(0)} ortRun=${ort.toFixed(0)} rotation=${JSON.stringify(rotations)} opts=${JSON.stringify(recOpts)}`,
  );
if (engine)
  console.log(
    `model sets ${JSON.stringify(sets)} script check ms=${scriptMs.toFixed(1)} (${((100 * scriptMs) / Math.max(1, total)).toFixed(3)}% of engine time)`,
  );
console.log(
  `lang=${opt.lang} detected=${JSON.stringify(languages)} restored=${restored} postprocess ms=${postMs.toFixed(0)} out=${out}`,
);
