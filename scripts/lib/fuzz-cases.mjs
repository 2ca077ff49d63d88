// Hostile inputs for scripts/fuzz-api.mjs: valid seed files of every supported type, their
// mutations and truncations, decompression bombs, and protocol abuse. Everything is generated
// here from a seeded PRNG (the same seed gives the same cases); nothing is downloaded.
import zlib from 'node:zlib';

import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

import { flateBombPdf, loopingPagesPdf, manyPageTiff, objStreamBombPdf, rawPdf } from '../../dist/test/hostile.js';

/** mulberry32: small, fast, seeded. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

function svg(text, w = 360, h = 80) {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="white"/><text x="10" y="50" font-family="DejaVu Sans" font-size="30">${text}</text></svg>`,
  );
}

function bmp24(width, height) {
  const row = Math.ceil((width * 3) / 4) * 4;
  const b = Buffer.alloc(54 + row * height, 0xff);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  b.writeUInt32LE(row * height, 34);
  return b;
}

async function textPdf(text, pages = 1) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++)
    doc.addPage([300, 120]).drawText(`${text} ${i + 1}`, { x: 15, y: 50, size: 24, font });
  return Buffer.from(await doc.save());
}

/** A PNG chunk with its CRC. */
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32 ? zlib.crc32(td) : 0);
  return Buffer.concat([len, td, crc]);
}

/** A PNG that declares width x height (1-bit gray) with `rows` of zero data deflated: a pixel bomb. */
function pngBomb(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // gray
  const rowBytes = Math.ceil(width / 8) + 1;
  const raw = Buffer.alloc(Math.min(rowBytes * height, 64 << 20));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Valid small files of every supported type (the mutation seeds). */
export async function seedFiles() {
  const img = sharp(svg('FUZZ SEED 42'));
  const frames = await Promise.all(['ONE', 'TWO', 'THREE'].map((t) => sharp(svg(t)).png().toBuffer()));
  return {
    png: await img.clone().png().toBuffer(),
    jpeg: await img.clone().jpeg().toBuffer(),
    webp: await img.clone().webp().toBuffer(),
    gif: await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer(),
    tiff: await sharp(frames, { join: { animated: true } })
      .tiff()
      .toBuffer(),
    bmp: bmp24(64, 32),
    pdf: await textPdf('FUZZ PDF', 2),
  };
}

function mutate(rng, file) {
  const b = Buffer.from(file);
  switch (rng.int(5)) {
    case 0: // flip bytes
      for (let i = 0, n = 1 + rng.int(20); i < n; i++) b[rng.int(b.length)] = rng.int(256);
      return { how: 'bytes flipped', data: b };
    case 1: // truncate
      return { how: 'truncated', data: b.subarray(0, rng.int(b.length)) };
    case 2: // header bytes overwritten (sizes, counts, offsets live there)
      for (let i = 0; i < 8; i++)
        b[8 + rng.int(Math.min(64, b.length - 8))] = rng.pick([0, 0xff, 0x7f, 0x80, rng.int(256)]);
      return { how: 'header mangled', data: b };
    case 3: {
      // a chunk repeated
      const at = rng.int(b.length);
      const len = 1 + rng.int(Math.min(4096, b.length - at));
      return {
        how: 'chunk repeated',
        data: Buffer.concat([
          b.subarray(0, at),
          ...Array.from({ length: 1 + rng.int(50) }, () => b.subarray(at, at + len)),
          b.subarray(at),
        ]),
      };
    }
    default: // random tail
      return {
        how: 'garbage appended',
        data: Buffer.concat([b, Buffer.from(Array.from({ length: rng.int(2048) }, () => rng.int(256)))]),
      };
  }
}

const ROUTE = {
  png: '/ocr/image',
  jpeg: '/ocr/image',
  webp: '/ocr/image',
  gif: '/ocr/image',
  tiff: '/ocr/image',
  bmp: '/ocr/image',
  pdf: '/ocr/pdf?dpi=72',
};

/** Bombs and structurally hostile files, built once. */
async function bombs() {
  return [
    { name: 'PDF FlateDecode bomb (2 GiB)', route: '/ocr/pdf?dpi=72', data: flateBombPdf(), alsoPdf: true },
    {
      name: 'PDF unreferenced object-stream bomb (4 GiB), then format=pdf',
      route: '/ocr/pdf?dpi=72',
      data: objStreamBombPdf(),
      alsoPdf: true,
    },
    { name: 'PDF looping /Pages, then format=pdf', route: '/ocr/pdf?dpi=72', data: loopingPagesPdf(), alsoPdf: true },
    {
      name: 'PDF claiming 1e6 pages',
      route: '/ocr/pdf?dpi=72',
      data: rawPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
      ]),
    },
    {
      name: 'PDF page of 14400 x 14400 pt',
      route: '/ocr/pdf?dpi=600',
      data: rawPdf([
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>',
      ]),
    },
    {
      name: 'PDF nested arrays 50000 deep, then format=pdf',
      route: '/ocr/pdf?dpi=72',
      data: rawPdf([
        '<< /Type /Catalog /Pages 2 0 R /X 4 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
        `${'['.repeat(50000)}${']'.repeat(50000)}`,
      ]),
      alsoPdf: true,
    },
    { name: 'TIFF of 3000 pages', route: '/ocr/image', data: await manyPageTiff(3000) },
    { name: 'PNG declaring 100000 x 100000', route: '/ocr/image', data: pngBomb(100000, 100000) },
    { name: 'PNG 4096 x 4096 1-bit (16 MP from a few KB)', route: '/ocr/image', data: pngBomb(4096, 4096) },
    { name: 'BMP declaring 4096 x 4096, 54 bytes of it', route: '/ocr/image', data: bmp24(4096, 4096).subarray(0, 54) },
    {
      name: 'BMP with negative width',
      route: '/ocr/image',
      data: (() => {
        const b = bmp24(8, 8);
        b.writeInt32LE(-8, 18);
        return b;
      })(),
    },
    {
      name: 'GIF of 500 frames',
      route: '/ocr/image',
      data: await sharp(
        Array.from({ length: 500 }, () => svg('F', 32, 32)),
        { join: { animated: true } },
      )
        .gif()
        .toBuffer(),
    },
  ];
}

/** Raw HTTP abuse: each is bytes to write on a socket (answers are read for up to 3 s). */
function protocolCases(rng) {
  const big = 'a'.repeat(100_000);
  return [
    { name: 'header of 100 KB', raw: `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n` },
    {
      name: 'request smuggling: CL and TE',
      raw: 'POST /ocr/image HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /health HTTP/1.1\r\n\r\n',
    },
    {
      name: 'body shorter than Content-Length, then close',
      raw: 'POST /ocr/image HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000\r\n\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG',
    },
    {
      name: 'Content-Length over MAX_CONTENT_LENGTH',
      raw: 'POST /ocr/pdf HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 99999999999\r\n\r\n',
    },
    {
      name: 'garbage request line',
      raw: `${Buffer.from(Array.from({ length: 200 }, () => rng.int(256))).toString('latin1')}\r\n\r\n`,
    },
    { name: 'HTTP/0.9 style', raw: 'GET /\r\n' },
  ];
}

/** Requests with hostile parts (fetch-level): wrong bodies, queries, ids, headers. */
function requestCases(rng, seeds) {
  const form = (parts) => {
    const f = new FormData();
    for (const [k, v, name] of parts) {
      if (typeof v === 'string' && !name) f.append(k, v);
      else f.append(k, new Blob([v]), name);
    }
    return f;
  };
  return [
    {
      name: 'urlencoded body',
      method: 'POST',
      path: '/ocr/image',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'file=abc',
    },
    {
      name: 'JSON body',
      method: 'POST',
      path: '/ocr/pdf',
      headers: { 'content-type': 'application/json' },
      body: '{"file":"x"}',
    },
    {
      name: 'broken JSON',
      method: 'POST',
      path: '/ocr/batch',
      headers: { 'content-type': 'application/json' },
      body: '{"file":',
    },
    {
      name: 'multipart without closing boundary',
      method: 'POST',
      path: '/ocr/image',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
      body: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
    },
    {
      name: 'multipart with a bad boundary',
      method: 'POST',
      path: '/ocr/image',
      headers: { 'content-type': 'multipart/form-data; boundary=' },
      body: 'x',
    },
    {
      name: '200 form fields',
      method: 'POST',
      path: '/ocr/batch',
      body: form(Array.from({ length: 200 }, (_, i) => [`f${i}`, 'v'])),
    },
    {
      name: '40 files in a batch',
      method: 'POST',
      path: '/ocr/batch',
      body: form(Array.from({ length: 40 }, () => ['files', seeds.png, 'a.png'])),
    },
    {
      name: 'file in the wrong field',
      method: 'POST',
      path: '/ocr/image',
      body: form([['upload', seeds.png, 'a.png']]),
    },
    {
      name: 'filename with path and control chars',
      method: 'POST',
      path: '/ocr/image',
      body: form([['file', seeds.png, '../../etc/\u0000passwd\r\n.png']]),
    },
    { name: 'dpi=0x12c', method: 'POST', path: '/ocr/pdf?dpi=0x12c', body: form([['file', seeds.pdf, 'a.pdf']]) },
    {
      name: 'dpi out of range',
      method: 'POST',
      path: `/ocr/pdf?dpi=${rng.pick(['0', '-1', '99999', '1e9', 'NaN'])}`,
      body: form([['file', seeds.pdf, 'a.pdf']]),
    },
    { name: 'pages[]=1', method: 'POST', path: '/ocr/pdf?pages[]=1', body: form([['file', seeds.pdf, 'a.pdf']]) },
    {
      name: 'pages=1-99999999',
      method: 'POST',
      path: '/ocr/pdf?pages=1-99999999',
      body: form([['file', seeds.pdf, 'a.pdf']]),
    },
    {
      name: 'pages of 1000 characters',
      method: 'POST',
      path: `/ocr/pdf?pages=${'1,'.repeat(499)}1`,
      body: form([['file', seeds.pdf, 'a.pdf']]),
    },
    {
      name: 'callback_url on loopback (IPv4-compatible)',
      method: 'POST',
      path: '/ocr/image',
      body: form([
        ['callback_url', 'http://[::127.0.0.1]/'],
        ['file', seeds.png, 'a.png'],
      ]),
    },
    {
      name: 'callback_url with credentials',
      method: 'POST',
      path: '/ocr/image',
      body: form([
        ['callback_url', 'http://u:p@example.com/'],
        ['file', seeds.png, 'a.png'],
      ]),
    },
    { name: 'job id of 5000 characters', method: 'GET', path: `/ocr/job/${'a'.repeat(5000)}` },
    { name: 'job id with traversal and NUL', method: 'GET', path: '/ocr/job/..%2F..%2F%00/result?format=pdf' },
    { name: 'bad percent encoding', method: 'GET', path: '/ocr/job/%E0%A4%A' },
    { name: 'format=exe', method: 'GET', path: '/ocr/job/00000000-0000-4000-8000-000000000000/result?format=exe' },
    {
      name: 'X-Request-Id of 10 KB',
      method: 'GET',
      path: '/health/alive',
      headers: { 'x-request-id': 'r'.repeat(10_000) },
    },
  ];
}

/**
 * Every case, in a seeded order: bombs, protocol abuse, hostile requests, and as many mutations of
 * the seed files as the caller takes (the list is endless: `next()` never runs out).
 */
export async function caseSource(seed) {
  const rng = prng(seed);
  const seeds = await seedFiles();
  const fixed = [
    ...(await bombs()).map((c) => ({ kind: 'upload', ...c })),
    ...protocolCases(rng).map((c) => ({ kind: 'raw', ...c })),
    ...requestCases(rng, seeds).map((c) => ({ kind: 'request', ...c })),
    ...Object.entries(seeds).map(([type, data]) => ({
      kind: 'upload',
      name: `valid ${type}`,
      route: ROUTE[type],
      data,
      alsoPdf: true,
    })),
  ];
  // Shuffle the fixed cases (Fisher-Yates), then mutations forever.
  for (let i = fixed.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [fixed[i], fixed[j]] = [fixed[j], fixed[i]];
  }
  let i = 0;
  return {
    total: fixed.length,
    next() {
      if (i < fixed.length) return fixed[i++];
      i++;
      const type = rng.pick(Object.keys(seeds));
      const m = mutate(rng, seeds[type]);
      return {
        kind: 'upload',
        name: `${type} ${m.how}`,
        route: rng.next() < 0.2 ? '/ocr/batch' : ROUTE[type],
        data: m.data,
        alsoPdf: rng.next() < 0.3,
      };
    },
  };
}
