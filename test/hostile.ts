// Hostile inputs built on the spot, each a few KB (issue 10): PDF decompression bombs, a looping
// page tree, a TIFF of thousands of pages. Used by the regression tests and scripts/fuzz-api.mjs.
import zlib from 'node:zlib';

import sharp from 'sharp';

/** A PDF from object bodies (object i+1 = objs[i]), with a correct xref table; `root` is the catalog's number. */
export function rawPdf(objs: (string | Buffer)[], root = 1): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0].length;
  const offsets: number[] = [];
  objs.forEach((body, i) => {
    offsets.push(at);
    const b = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(b);
    at += b.length;
  });
  const xref = [
    `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(
    Buffer.from(
      `${xref}trailer\n<< /Size ${objs.length + 1} /Root ${root} 0 R >>\nstartxref\n${at}\n%%EOF\n`,
      'latin1',
    ),
  );
  return Buffer.concat(parts);
}

function stream(dict: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

/**
 * zlib data inflating to `bytes` spaces, twice compressed: a 16 MB block deflated once after a
 * full flush is the same bytes every time, so it is repeated instead of deflating gigabytes.
 */
export function doubleFlate(bytes: number): Buffer {
  const CHUNK = 1 << 24;
  const blocks = Math.max(1, Math.round(bytes / CHUNK));
  const d = zlib.deflateRawSync(Buffer.alloc(CHUNK, 0x20), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const total = blocks * CHUNK;
  // Adler-32 of `total` spaces.
  let a = 1;
  let b = 0;
  const step = (n: number) => {
    // a grows by 0x20 per byte; b by a each byte: closed forms modulo 65521.
    const A = BigInt(a);
    const N = BigInt(n);
    const b2 = (BigInt(b) + N * A + 32n * ((N * (N + 1n)) / 2n)) % 65521n;
    a = Number((A + 32n * N) % 65521n);
    b = Number(b2);
  };
  step(total);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32BE(((b << 16) | a) >>> 0);
  const inner = Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array.from({ length: blocks }, () => d),
    Buffer.from([0x03, 0x00]),
    trailer,
  ]);
  return zlib.deflateSync(inner, { level: 9 });
}

/** One page whose content stream (/FlateDecode twice) inflates to `bytes` (default 2 GiB). */
export function flateBombPdf(bytes = 2 ** 31): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    stream('/Filter [/FlateDecode /FlateDecode]', doubleFlate(bytes)),
  ]);
}

/** A valid one-page PDF plus an object stream nobody references that inflates to `bytes` (PDFium never reads it; pdf-lib parses every object). */
export function objStreamBombPdf(bytes = 2 ** 32): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    stream('', Buffer.from('BT /F1 12 Tf 20 100 Td (bomb) Tj ET')),
    stream('/Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode]', doubleFlate(bytes)),
  ]);
}

/** A page tree whose /Kids point back at itself (a /Pages node that is its own child). */
export function loopingPagesPdf(): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ]);
}

/** A multi-page TIFF of `pages` tiny pages (a few bytes each, deflate). */
export async function manyPageTiff(pages: number, size = 16): Promise<Buffer> {
  const page = await sharp({ create: { width: size, height: size, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  return sharp(
    Array.from({ length: pages }, () => page),
    { join: { animated: true } },
  )
    .tiff({ compression: 'deflate' })
    .toBuffer();
}
