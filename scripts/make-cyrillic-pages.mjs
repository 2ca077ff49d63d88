#!/usr/bin/env node
// Makes Cyrillic test pages this project does not have in ../shared/corpus: Debian's own Russian,
// Ukrainian and Serbian manual pages (man-db, procps, psmisc, passwd translations), typeset as text
// with DejaVu fonts and rendered at 1700x2200, with their ground truth in the corpus format
// (line text, an estimated box, the language). Russian prose with English options: mixed pages.
//   node scripts/make-cyrillic-pages.mjs OUT_CORPUS_DIR
// Then: OCR_CORPUS=OUT_CORPUS_DIR node scripts/eval-corpus.mjs made --lang auto
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/make-cyrillic-pages.mjs OUT_CORPUS_DIR');
  process.exit(2);
}
const PAGES = [
  ['ru', 'man1/chfn.1.gz', 'serif'],
  ['ru', 'man1/fuser.1.gz', 'sans'],
  ['ru', 'man8/', 'serif'],
  ['uk', 'man1/free.1.gz', 'serif'],
  ['uk', 'man1/kill.1.gz', 'sans'],
  ['sr', 'man1/killall.1.gz', 'serif'],
];
const FONT = { serif: 'DejaVu Serif', sans: 'DejaVu Sans' };
const W = 1700,
  H = 2200,
  SIZE = 28,
  STEP = 46,
  MARGIN = 110,
  MAXLINES = 44;
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
mkdirSync(path.join(out, 'made'), { recursive: true });
mkdirSync(path.join(out, 'gt', 'made'), { recursive: true });
for (const [lang, rel, face] of PAGES) {
  let file = path.join('/usr/share/man', lang, rel);
  if (rel.endsWith('/')) file = path.join(file, execSync(`ls ${file} | head -1`, { encoding: 'utf8' }).trim());
  if (!existsSync(file)) {
    console.error(`skipped: ${file} is absent`);
    continue;
  }
  const text = execSync(`MANWIDTH=72 man -l ${file} 2>/dev/null | col -b`, { encoding: 'utf8' });
  const rows = text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l.trim())
    .slice(1, MAXLINES + 1);
  const charW = SIZE * (face === 'sans' ? 0.6 : 0.62);
  const lines = [];
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="white"/>`,
  ];
  rows.forEach((row, i) => {
    const indent = row.match(/^ */)[0].length;
    const t = row.trim().replace(/\s+/g, ' ');
    const x = MARGIN + indent * charW;
    const y = MARGIN + i * STEP + SIZE;
    svg.push(
      `<text x="${x}" y="${y}" font-family="${FONT[face]}" font-size="${SIZE}" xml:space="preserve">${esc(t)}</text>`,
    );
    lines.push({ text: t, bbox: [x, y - SIZE * 0.8, Math.min(W - 10, x + t.length * charW * 0.93), y + SIZE * 0.25] });
  });
  svg.push('</svg>');
  const name = `${lang}-${path.basename(file).replace(/\.\d\.gz$/, '')}`;
  await sharp(Buffer.from(svg.join('\n')))
    .png()
    .toFile(path.join(out, 'made', `${name}.png`));
  writeFileSync(
    path.join(out, 'gt', 'made', `${name}.json`),
    JSON.stringify({ image: `${name}.png`, width: W, height: H, lang, source: { file }, lines }),
  );
  console.log(`${name}: ${lines.length} lines`);
}
