// A real born-digital PDF for the text-layer test and benchmark: the gnuplot 5.4 manual (311 pages,
// pdfTeX) from Debian bookworm's gnuplot-doc package, pinned by version and sha256. Fetched with
// `apt-get download` into a cache outside git (OCR_PDF_CACHE, default ~/.cache/ocr-service/pdf)
// and extracted once; never committed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DOC_PDF = {
  package: 'gnuplot-doc',
  version: '5.4.4+dfsg1-2',
  debSha256: '73fe1816a296594cf6a1d38528f8d740fd650f57a2cb62e029f7920fcd5b31f0',
  member: './usr/share/doc/gnuplot/gnuplot.pdf',
  pdfSha256: 'df68dd0613f043141512fc4436d17aaf96727d5a758d85233915ac5056a97206',
  pages: 311,
};

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** Path of the PDF, fetched and checked if needed; throws with the reason when it cannot be had (no apt, no network, wrong hash). */
export function docPdf() {
  const dir = process.env.OCR_PDF_CACHE || path.join(os.homedir(), '.cache', 'ocr-service', 'pdf');
  const pdf = path.join(dir, `${DOC_PDF.package}_${DOC_PDF.version}.pdf`);
  if (existsSync(pdf) && sha256(readFileSync(pdf)) === DOC_PDF.pdfSha256) return pdf;
  mkdirSync(dir, { recursive: true });
  const debName = () => readdirSync(dir).find((f) => f.startsWith(`${DOC_PDF.package}_`) && f.endsWith('.deb'));
  if (!debName())
    execFileSync('apt-get', ['download', `${DOC_PDF.package}=${DOC_PDF.version}`], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 300_000,
    });
  const deb = path.join(dir, debName() ?? '');
  if (sha256(readFileSync(deb)) !== DOC_PDF.debSha256) throw new Error(`${deb}: sha256 is not the pinned one`);
  const tar = execFileSync('dpkg-deb', ['--fsys-tarfile', deb], { maxBuffer: 64 * 2 ** 20 });
  const bytes = execFileSync('tar', ['-xO', DOC_PDF.member], { input: tar, maxBuffer: 64 * 2 ** 20 });
  if (sha256(bytes) !== DOC_PDF.pdfSha256) throw new Error(`${DOC_PDF.member} in ${deb}: sha256 is not the pinned one`);
  writeFileSync(pdf, bytes);
  return pdf;
}

/** Bag-of-words F1 (words: runs of letters and digits, lower case); the tests score with it too (test/pdf/fixtures.ts). */
export function wordF1(a, b) {
  const bag = (s) => {
    const m = new Map();
    for (const w of s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  };
  const A = bag(a);
  const B = bag(b);
  let common = 0;
  let na = 0;
  let nb = 0;
  for (const [w, n] of A) {
    na += n;
    common += Math.min(n, B.get(w) ?? 0);
  }
  for (const n of B.values()) nb += n;
  return na && nb && common ? (2 * common) / (na + nb) : 0;
}
