#!/usr/bin/env node
// The `order-set`: multi-column pages of documents in no corpus here, to judge reading order on
// pages the layout was not tuned on. The page images are not committed: this script downloads the
// pinned Debian packages (`apt-get download`, version and .deb sha256 checked), extracts the PDFs
// and renders the chosen pages at 300 dpi (`pdftoppm -r 300`) into a cache folder outside git
// ($OCR_ORDER_SET, default test-data/order-set). The ground truth (line texts and boxes in reading
// order) is committed under test/layout/order-set/.
//   node scripts/make-order-set.mjs            render the pages (skips those already there)
//   node scripts/make-order-set.mjs --gt       (re)write the ground truth from `pdftotext -bbox-layout`
//                                              (its content order; checked by eye on every page)
//   node scripts/make-order-set.mjs --tesseract   measure Tesseract (`--psm 3`) on every page and
//                                              write test/layout/order-set/_tesseract.json
// Exit status 2 (and a line on stderr) when apt, the packages (apt-get download) or poppler are not
// available.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { discordant, tesseractLines } from './lib/order.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
export const GT_DIR = path.join(ROOT, 'test', 'layout', 'order-set');
export const CACHE = process.env.OCR_ORDER_SET ?? path.join(ROOT, 'test-data', 'order-set');
const DPI = 300;

const PACKAGES = {
  'texlive-publishers-doc': {
    version: '2022.20230122-4',
    sha256: '9b632913d4b0d0871bef41c414fc7ce1167e3bacb55b140901df0c95df1c5765',
  },
  'debian-refcard': { version: '12.0', sha256: '9cb06051459a8fbefd0a1d0013a6e8b14931ae544402aa9f56f1e77f555cfd1f' },
};
const TL = 'usr/share/doc/texlive-doc/latex';
/**
 * doc: [package, file in the package, pages, gutters set by eye (pixels at 300 dpi) where the page's
 * own strips mislead: a table or key/description pairs in a column]. Two-column papers and author guides (several with a full-width title block over the columns), a three-column reference card. */
export const DOCS = {
  nrcguide: ['texlive-publishers-doc', `${TL}/nrc/userguide.pdf`, [1, 2, 3, 5, 7]],
  tubguide: ['texlive-publishers-doc', `${TL}/tugboat/ltubguid.pdf`, [1, 2, 4, 6]],
  jacow: ['texlive-publishers-doc', `${TL}/jacow/JACoW_LaTeX_A4.pdf`, [1, 3, 7], { 3: [1244] }],
  sigconf: ['texlive-publishers-doc', `${TL}/acmart/samples/sample-sigconf.pdf`, [1, 2, 3, 5]],
  ieeepes: ['texlive-publishers-doc', `${TL}/ieeepes/ieeepes_doc.pdf`, [1, 2, 4], { 1: [1155] }],
  asmeconf: ['texlive-publishers-doc', `${TL}/asmeconf/asmeconf-template.pdf`, [1, 2, 5]],
  quantum: ['texlive-publishers-doc', `${TL}/quantumarticle/quantum-template.pdf`, [1, 2, 3]],
  confproc: ['texlive-publishers-doc', `${TL}/confproc/example/papers/p_001.pdf`, [1, 2, 4]],
  apsguide: ['texlive-publishers-doc', `${TL}/revtex/aps/apsguide4-2.pdf`, [1, 2, 4], { 1: [1284] }],
  aguplus: ['texlive-publishers-doc', `${TL}/aguplus/aguplus.pdf`, [1, 2, 6]],
  elbioimp: ['texlive-publishers-doc', `${TL}/elbioimp/elbioimp.pdf`, [1, 2, 3]],
  philimprint: ['texlive-publishers-doc', `${TL}/philosophersimprint/sample.pdf`, [2]],
  refcard: [
    'debian-refcard',
    'usr/share/doc/debian-refcard/refcard-en-a4.pdf.gz',
    [1, 2],
    { 1: [1135, 2347], 2: [1135, 2347] },
  ],
};

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { maxBuffer: 1 << 28, ...opts });
const pageName = (doc, p) => `${doc}_p${String(p).padStart(3, '0')}`;
export const pages = () =>
  Object.entries(DOCS).flatMap(([doc, [, , ps]]) => ps.map((p) => ({ doc, page: p, name: pageName(doc, p) })));

/** The package's .deb in the cache, downloaded and checked; its tree extracted. */
function unpack(pkg) {
  const { version, sha256 } = PACKAGES[pkg];
  const debs = path.join(CACHE, 'debs');
  mkdirSync(debs, { recursive: true });
  const deb = path.join(debs, `${pkg}_${version.replace(':', '%3a')}_all.deb`);
  if (!existsSync(deb)) {
    try {
      run('apt-get', ['download', `${pkg}=${version}`], { cwd: debs, stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (e) {
      // No mirror reachable, or the pinned version gone from it: the set cannot be built here.
      throw Object.assign(new Error(`apt-get download ${pkg}=${version} failed (${e.message.split('\n')[0]})`), {
        unavailable: true,
      });
    }
  }
  const sum = createHash('sha256').update(readFileSync(deb)).digest('hex');
  if (sum !== sha256) throw new Error(`${deb}: sha256 ${sum}, expected ${sha256}`);
  const tree = path.join(CACHE, 'tree', pkg);
  if (!existsSync(tree)) {
    mkdirSync(tree, { recursive: true });
    run('dpkg-deb', ['-x', deb, tree]);
  }
  return tree;
}

function pdfOf(doc) {
  const [pkg, file] = DOCS[doc];
  const src = path.join(unpack(pkg), file);
  if (!src.endsWith('.gz')) return src;
  const out = src.slice(0, -3);
  if (!existsSync(out)) writeFileSync(out, run('gunzip', ['-c', src]));
  return out;
}

export function render() {
  const out = path.join(CACHE, 'pages');
  mkdirSync(out, { recursive: true });
  for (const { doc, page, name } of pages()) {
    const png = path.join(out, `${name}.png`);
    if (existsSync(png)) continue;
    run('pdftoppm', [
      '-r',
      String(DPI),
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      '-png',
      pdfOf(doc),
      png.slice(0, -4),
    ]);
  }
  return out;
}

const unxml = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** pdftotext's lines of one page, in its content order, boxes in pixels at DPI. */
function textLines(pdf, page) {
  const xml = run('pdftotext', ['-bbox-layout', '-f', String(page), '-l', String(page), pdf, '-'], {
    encoding: 'utf8',
  });
  const k = DPI / 72;
  const pg = /<page width="([\d.]+)" height="([\d.]+)">/.exec(xml);
  const lines = [];
  for (const m of xml.matchAll(
    /<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g,
  )) {
    const words = [...m[5].matchAll(/<word [^>]*>([\s\S]*?)<\/word>/g)].map((w) => unxml(w[1]));
    const text = words.join(' ').trim();
    if (!text) continue;
    lines.push({ text, bbox: [1, 2, 3, 4].map((i) => Math.round(Number(m[i]) * k)) });
  }
  return { width: Math.round(Number(pg[1]) * k), height: Math.round(Number(pg[2]) * k), lines };
}

/**
 * The reader's order from the PDF's exact boxes (pdftotext's own order was wrong on some pages: a
 * column's top read after the other column's). Gutters: vertical strips at least 3 pt wide,
 * between 15% and 85% of the page width, that no line narrower than 60% of the page crosses.
 * Lines that cross a gutter (titles, abstracts, wide figures, centred page numbers) cut the page
 * into bands; within a band columns left to right; within a column rows top to bottom, a row
 * left to right. Checked by eye on every page (an overlay of this order on the rendering).
 */
function gutterOf(lines, width, height) {
  // Column lines: below the title block (lower 60% of the page), narrower than 60% of the page,
  // wider than a tenth (not a page number).
  const narrow = lines.filter(
    (l) => l.bbox[2] - l.bbox[0] < 0.6 * width && l.bbox[2] - l.bbox[0] > 0.1 * width && l.bbox[1] > 0.4 * height,
  );
  const count = new Uint16Array(width + 1);
  for (const l of narrow) for (let x = Math.max(0, l.bbox[0]); x <= Math.min(width, l.bbox[2]); x++) count[x]++;
  // One line may cross (a centred caption of a wide figure).
  const cover = count.map((c) => (c > 1 ? 1 : 0));
  const found = [];
  let start = -1;
  for (let x = Math.round(0.15 * width); x <= Math.round(0.85 * width); x++) {
    if (!cover[x] && start < 0) start = x;
    if ((cover[x] || x === Math.round(0.85 * width)) && start >= 0) {
      if (x - start >= (3 * DPI) / 72) found.push([start, x]);
      start = -1;
    }
  }
  // Strips closer than a tenth of the page are one gutter: the widest.
  const gutters = [];
  for (const g of found) {
    const last = gutters[gutters.length - 1];
    if (last && g[0] - last[1] < 0.1 * width) {
      if (g[1] - g[0] > last[1] - last[0]) gutters[gutters.length - 1] = g;
    } else gutters.push(g);
  }
  return gutters.map((g) => (g[0] + g[1]) / 2);
}

function orderBy(lines, gutters) {
  const col = (l) => gutters.filter((g) => l.bbox[0] > g).length;
  const spans = (l) => gutters.some((g) => l.bbox[0] < g - 4 && l.bbox[2] > g + 4);
  const cy = (l) => (l.bbox[1] + l.bbox[3]) / 2;
  const byY = [...lines].sort((a, b) => cy(a) - cy(b));
  const out = [];
  let band = [];
  const rowsOf = (ls) => {
    const rows = [];
    for (const l of [...ls].sort((a, b) => cy(a) - cy(b))) {
      const r = rows[rows.length - 1];
      if (r && Math.abs(cy(l) - cy(r[0])) < 0.5 * (r[0].bbox[3] - r[0].bbox[1])) r.push(l);
      else rows.push([l]);
    }
    return rows.flatMap((r) => r.sort((a, b) => a.bbox[0] - b.bbox[0]));
  };
  const flush = () => {
    for (let c = 0; c <= gutters.length; c++) out.push(...rowsOf(band.filter((l) => col(l) === c)));
    band = [];
  };
  for (let i = 0; i < byY.length; i++) {
    const l = byY[i];
    if (spans(l)) {
      flush();
      // Lines on the spanning line's row (a title's pieces) go with it, left to right.
      const row = [l];
      while (i + 1 < byY.length && Math.abs(cy(byY[i + 1]) - cy(l)) < 0.5 * (l.bbox[3] - l.bbox[1])) row.push(byY[++i]);
      out.push(...row.sort((a, b) => a.bbox[0] - b.bbox[0]));
    } else band.push(l);
  }
  flush();
  return out;
}

function docGutters(doc, found) {
  const votes = new Map();
  for (const p of pages().filter((q) => q.doc === doc && found[q.name].length)) {
    const key = JSON.stringify(found[p.name].map((g) => Math.round(g / 25)));
    const v = votes.get(key) ?? { n: 0, g: found[p.name] };
    v.n++;
    votes.set(key, v);
  }
  return [...votes.values()].sort((a, b) => b.n - a.n)[0]?.g ?? [];
}

function writeGt() {
  mkdirSync(GT_DIR, { recursive: true });
  // A page without a gutter of its own below its title block takes those most of its document's
  // pages show.
  const found = {};
  for (const { doc, page, name } of pages()) {
    const t = textLines(pdfOf(doc), page);
    found[name] = gutterOf(t.lines, t.width, t.height);
  }
  for (const { doc, page, name } of pages()) {
    const [pkg, file] = DOCS[doc];
    const pdf = pdfOf(doc);
    const text = textLines(pdf, page);
    const { width, height } = text;
    const gutters = DOCS[doc][3]?.[page] ?? (found[name].length ? found[name] : docGutters(doc, found));
    const lines = orderBy(text.lines, gutters);
    console.log(`${name}: ${lines.length} lines, gutters at ${gutters.map((g) => Math.round(g)).join(', ')}`);
    const sha256 = createHash('sha256').update(readFileSync(pdf)).digest('hex');
    const gt = {
      image: `${name}.png`,
      width,
      height,
      dpi: DPI,
      doc,
      source: { package: pkg, version: PACKAGES[pkg].version, file: `/${file.replace(/\.gz$/, '')}`, page, sha256 },
      lines,
    };
    writeFileSync(path.join(GT_DIR, `${name}.json`), `${JSON.stringify(gt)}\n`);
  }
}

function measureTesseract() {
  const dir = render();
  const out = {};
  for (const { name } of pages()) {
    const gt = JSON.parse(readFileSync(path.join(GT_DIR, `${name}.json`), 'utf8'));
    const r = discordant(gt.lines, tesseractLines(path.join(dir, `${name}.png`)));
    out[name] = { share: Number(r.share.toFixed(4)), pairs: r.pairs, discordant: r.discordant };
    console.log(`${name} tesseract discordant ${out[name].share}`);
  }
  const version = run('tesseract', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  writeFileSync(
    path.join(GT_DIR, '_tesseract.json'),
    `${JSON.stringify({ tesseract: version, command: 'tesseract IMG out -l eng --psm 3 tsv', discordant: out }, null, 1)}\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    run('apt-get', ['--version'], { stdio: 'ignore' });
    run('pdftoppm', ['-v'], { stdio: 'ignore' });
  } catch {
    console.error('make-order-set: needs apt-get and poppler-utils (pdftoppm, pdftotext)');
    process.exit(2);
  }
  const arg = process.argv[2];
  try {
    if (arg === '--gt') writeGt();
    else if (arg === '--tesseract') measureTesseract();
    else console.log(`pages in ${render()} (${readdirSync(path.join(CACHE, 'pages')).length})`);
  } catch (e) {
    if (!e.unavailable) throw e;
    console.error(`make-order-set: ${e.message}`);
    process.exit(2);
  }
}
