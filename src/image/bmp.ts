// A small decoder for uncompressed BMPs (sharp/libvips cannot read BMP): 1, 4, 8 bit palette,
// 16 (5-5-5 or bitfields), 24 and 32 bit (plain or bitfields), bottom-up or top-down.
// Output is always 3-channel RGB. RLE, JPEG/PNG-in-BMP and other variants are refused by name.
import { ApiError } from '../errors.js';
import { type ImageLimits, checkImageLimits } from './limits.js';

export interface DecodedBmp {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

const COMPRESSION: Record<number, string> = {
  1: 'RLE8',
  2: 'RLE4',
  4: 'JPEG',
  5: 'PNG',
  6: 'alpha bitfields',
  11: 'CMYK',
  12: 'CMYK RLE8',
  13: 'CMYK RLE4',
};

function unsupported(what: string): ApiError {
  return new ApiError(
    'undecodable',
    `Unsupported BMP variant: ${what}; only uncompressed 1/4/8/16/24/32-bit BMPs are supported`,
  );
}
function corrupt(what: string): ApiError {
  return new ApiError('undecodable', `Corrupt BMP: ${what}`);
}

/** Width and height from the header alone, for limit checks before decoding. */
export function bmpSize(buf: Buffer): { width: number; height: number } {
  if (buf.length < 26) throw corrupt('file too short');
  const headerSize = buf.readUInt32LE(14);
  if (headerSize === 12) return { width: buf.readUInt16LE(18), height: buf.readInt16LE(20) };
  if (buf.length < 26 + 4) throw corrupt('file too short');
  return { width: buf.readInt32LE(18), height: Math.abs(buf.readInt32LE(22)) };
}

function maskShift(mask: number): { shift: number; max: number } {
  if (mask === 0) return { shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

export function decodeBmp(buf: Buffer, limits?: ImageLimits): DecodedBmp {
  if (buf.length < 26 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw corrupt('missing BM signature');
  const dataOffset = buf.readUInt32LE(10);
  const headerSize = buf.readUInt32LE(14);
  let width: number,
    rawHeight: number,
    planes: number,
    bpp: number,
    compression = 0,
    colorsUsed = 0;
  if (headerSize === 12) {
    width = buf.readUInt16LE(18);
    rawHeight = buf.readInt16LE(20);
    planes = buf.readUInt16LE(22);
    bpp = buf.readUInt16LE(24);
  } else if (headerSize >= 40 && buf.length >= 14 + 40) {
    width = buf.readInt32LE(18);
    rawHeight = buf.readInt32LE(22);
    planes = buf.readUInt16LE(26);
    bpp = buf.readUInt16LE(28);
    compression = buf.readUInt32LE(30);
    colorsUsed = buf.readUInt32LE(46);
  } else {
    throw unsupported(`header size ${headerSize}`);
  }
  if (planes !== 1) throw corrupt(`planes=${planes}`);
  if (compression !== 0 && compression !== 3)
    throw unsupported(`${COMPRESSION[compression] ?? `compression ${compression}`} compression`);
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw unsupported(`${bpp} bits per pixel`);
  if (compression === 3 && bpp !== 16 && bpp !== 32) throw unsupported(`bitfields with ${bpp} bits per pixel`);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height <= 0) throw corrupt(`size ${width}x${rawHeight}`);
  if (limits) checkImageLimits(width, height, limits);

  // Bit masks: from the header (V2+ or BITFIELDS after a 40-byte header), else the defaults.
  let masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0x00ff00, 0x0000ff];
  if (compression === 3) {
    const at = 14 + 40;
    if (buf.length < at + 12) throw corrupt('bitfield masks missing');
    masks = [buf.readUInt32LE(at), buf.readUInt32LE(at + 4), buf.readUInt32LE(at + 8)];
  }

  let palette: Buffer | undefined;
  if (bpp <= 8) {
    const entries = colorsUsed || 1 << bpp;
    const entrySize = headerSize === 12 ? 3 : 4;
    const start = 14 + headerSize;
    if (entries > 256 || start + entries * entrySize > buf.length) throw corrupt('palette out of range');
    palette = Buffer.alloc(256 * 3);
    for (let i = 0; i < entries; i++) {
      const p = start + i * entrySize;
      palette[i * 3] = buf[p + 2];
      palette[i * 3 + 1] = buf[p + 1];
      palette[i * 3 + 2] = buf[p];
    }
  }

  const rowSize = Math.floor((bpp * width + 31) / 32) * 4;
  if (dataOffset + rowSize * height > buf.length) throw corrupt('pixel data truncated');
  const out = Buffer.alloc(width * height * 3);
  const [r, g, b] = masks.map(maskShift);
  for (let y = 0; y < height; y++) {
    const src = dataOffset + (topDown ? y : height - 1 - y) * rowSize;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      if (palette) {
        const bit = x * bpp;
        const byte = buf[src + (bit >> 3)];
        const idx = bpp === 8 ? byte : (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        out[o] = palette[idx * 3];
        out[o + 1] = palette[idx * 3 + 1];
        out[o + 2] = palette[idx * 3 + 2];
      } else if (bpp === 24 || (bpp === 32 && compression === 0)) {
        const p = src + x * (bpp >> 3);
        out[o] = buf[p + 2];
        out[o + 1] = buf[p + 1];
        out[o + 2] = buf[p];
      } else {
        const px = bpp === 16 ? buf.readUInt16LE(src + x * 2) : buf.readUInt32LE(src + x * 4);
        for (const [c, m] of [r, g, b].entries()) {
          out[o + c] = m.max ? Math.round((((px >>> m.shift) & m.max) * 255) / m.max) : 0;
        }
      }
    }
  }
  return { data: out, width, height, channels: 3 };
}
