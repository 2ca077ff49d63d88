#!/usr/bin/env node
// Peak RSS of decoding + OCR of one large image, per image size, as a ratio against a 4096x4096
// page (the old MAX_IMAGE_* default) measured in the same command. Each size runs in a fresh
// process (the CLI: the service's decoder, src/image/decode.ts, and the native engine), its peak
// RSS read by /usr/bin/time, so sizes do not share a heap or an allocator's high-water mark.
// Usage: node scripts/bench-image-memory.mjs [--sizes 4096x4096,3400x4400,10000x4000] [--runs 1]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '4096x4096,3400x4400,10000x4000' },
    runs: { type: 'string', default: '1' },
  },
});
const sizes = values.sizes.split(',').map((s) => s.split('x').map(Number));
const cli = path.resolve(import.meta.dirname, '../dist/src/cli.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-image-memory-'));

/** A white page with 12 lines of 48 px text spread over it: real detections, little recognition. */
async function page(width, height, file) {
  const lines = Array.from({ length: 12 }, (_, i) => {
    const y = Math.round(((i + 1) * height) / 13);
    return `<text x="${Math.round(width * 0.05)}" y="${y}" font-family="DejaVu Sans" font-size="48">Line ${i + 1} of a ${width} by ${height} page</text>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${lines}</svg>`;
  await sharp(Buffer.from(svg), { limitInputPixels: false }).png().toFile(file);
}

function peak(file) {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, '--format', 'txt', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`ocr ${file} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const kb = Number(r.stderr.trim().split('\n').at(-1));
  return {
    mb: kb / 1024,
    s: (performance.now() - t) / 1000,
    lines: r.stdout.split('\n').filter((l) => /Line \d+/.test(l)).length,
  };
}

try {
  const rows = [];
  for (const [w, h] of sizes) {
    const file = path.join(dir, `${w}x${h}.png`);
    await page(w, h, file);
    const runs = Array.from({ length: Number(values.runs) }, () => peak(file));
    const best = runs.reduce((a, b) => (a.mb <= b.mb ? a : b));
    rows.push({ size: `${w}x${h}`, mp: (w * h) / 1e6, ...best });
  }
  const base = rows[0];
  console.log(
    `peak RSS of decode + OCR (CLI, one process per image), node ${process.version}, ${os.cpus().length} CPUs`,
  );
  console.log('size          MP     peak RSS MB   vs ' + base.size + '   wall s   text lines found');
  for (const r of rows) {
    console.log(
      `${r.size.padEnd(12)} ${r.mp.toFixed(1).padStart(5)}   ${r.mb.toFixed(0).padStart(9)}   ${(r.mb / base.mb).toFixed(2).padStart(10)}   ${r.s.toFixed(1).padStart(6)}   ${r.lines}/12`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
