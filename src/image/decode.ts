// Decoding of uploaded images to raw pixels: sharp for JPEG/PNG/TIFF/WebP/GIF, our own BMP reader.
// probeImage() reads headers only (at submission, so limits answer 422 before a job exists);
// decodePages() decodes every page of a multi-page TIFF and the first frame of a GIF.
import sharp, { type Metadata } from 'sharp';

import { ApiError } from '../errors.js';
import { bmpSize, decodeBmp } from './bmp.js';
import type { FileType } from './detect.js';
import { type ImageLimits, checkImageLimits } from './limits.js';

export interface PixelPage {
  /** Owns its whole ArrayBuffer, so it can be moved to a worker. */
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

export interface ImageProbe {
  width: number;
  height: number;
  pages: number;
}

function undecodable(type: FileType, err: unknown): ApiError {
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new ApiError('undecodable', `Could not decode the ${type.toUpperCase()} image: ${detail}`);
}

/** Header-only check of a file already identified as an image. Throws ApiError (422). */
export async function probeImage(buf: Buffer, type: FileType, limits: ImageLimits): Promise<ImageProbe> {
  if (type === 'bmp') {
    const { width, height } = bmpSize(buf);
    if (width <= 0 || height <= 0) throw new ApiError('undecodable', `Corrupt BMP: size ${width}x${height}`);
    checkImageLimits(width, height, limits);
    return { width, height, pages: 1 };
  }
  let meta: Metadata;
  try {
    meta = await sharp(buf).metadata();
  } catch (err) {
    throw undecodable(type, err);
  }
  if (!meta.width || !meta.height) throw undecodable(type, new Error('no image size in header'));
  // For GIF/WebP/TIFF, height is the first page's (sharp reads one page unless asked).
  const height = meta.pageHeight ?? meta.height;
  checkImageLimits(meta.width, height, limits);
  const pages = type === 'tiff' ? Math.max(1, meta.pages ?? 1) : 1;
  return { width: meta.width, height, pages };
}

/**
 * Pixels the OCR pool can transfer to a worker thread: moved (no copy) when the buffer owns its
 * ArrayBuffer and V8 can detach it; copied into a fresh one when it shares one (pooled) or when
 * its memory is external and cannot move. Node 22+ refuses to transfer the external memory sharp
 * hands back (DataCloneError at postMessage, every image job failing), where Node 20 moved it.
 */
function owned(buf: Buffer): Uint8Array {
  if (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) {
    try {
      return new Uint8Array(structuredClone(buf.buffer, { transfer: [buf.buffer] }));
    } catch {
      // not detachable: copied below
    }
  }
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return copy;
}

async function decodeWithSharp(buf: Buffer, type: FileType, page: number, limits: ImageLimits): Promise<PixelPage> {
  try {
    const { data, info } = await sharp(buf, { page, pages: 1, limitInputPixels: limits.maxPixels })
      .rotate() // EXIF orientation, so boxes match what viewers show
      .flatten({ background: '#ffffff' }) // text on a transparent background becomes dark on white
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    checkImageLimits(info.width, info.height, limits);
    return { data: owned(data), width: info.width, height: info.height, channels: info.channels as 3 };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw undecodable(type, err);
  }
}

/**
 * Decodes page after page (one page's pixels in memory at a time per consumer). With several
 * pages (multi-page TIFF), a page that does not decode is yielded as its error and the others
 * go on; a single page's error is thrown.
 */
export async function* decodePages(
  buf: Buffer,
  type: FileType,
  pages: number,
  limits: ImageLimits,
): AsyncGenerator<PixelPage | ApiError> {
  if (type === 'bmp') {
    const bmp = decodeBmp(buf, limits);
    yield { data: owned(bmp.data), width: bmp.width, height: bmp.height, channels: 3 };
    return;
  }
  for (let i = 0; i < pages; i++) {
    try {
      yield await decodeWithSharp(buf, type, i, limits);
    } catch (err) {
      if (pages === 1 || !(err instanceof ApiError)) throw err;
      err.message = `Page ${i + 1}: ${err.message}`;
      yield err;
    }
  }
}
