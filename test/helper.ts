// Test helpers: a fresh app per test file (real engine, real pool), generated fixtures, multipart bodies.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { TestContext } from 'node:test';

import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';

export const TEST_ENV = {
  OCR_WORKERS: '1',
  OCR_THREADS_PER_WORKER: '1',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_MINUTE: '0',
};

/**
 * With OCR_TEST_REDIS_URL set (scripts/run-tests.mjs, second pass), every app runs in Redis mode,
 * each under its own key prefix so apps of different tests never share jobs or cached results.
 */
function redisEnv(): Record<string, string> {
  const url = process.env.OCR_TEST_REDIS_URL;
  if (!url) return {};
  return {
    REDIS_URL: url,
    REDIS_PREFIX: `t${process.pid}-${randomUUID().slice(0, 8)}`,
    JOB_STALLED_INTERVAL_MS: '1000',
    JOB_LOCK_MS: '5000',
  };
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ ...TEST_ENV, ...redisEnv(), ...env });
}

/** Builds a ready app and closes it after the test `t` (with null, the caller closes it). */
export async function build(t: TestContext | null, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(env), { logger: false });
  t?.after(() => app.close());
  await app.ready();
  return app;
}

function svg(lines: string[], width: number, height: number): Buffer {
  const text = lines
    .map((l, i) => `<text x="20" y="${50 + i * 50}" font-family="DejaVu Sans" font-size="32" fill="black">${l}</text>`)
    .join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`,
  );
}

/** A small white image with black text lines. */
export function textImage(
  lines: string[] | string,
  format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' = 'png',
  width = 480,
): Promise<Buffer> {
  const l = Array.isArray(lines) ? lines : [lines];
  return sharp(svg(l, width, 30 + l.length * 50))
    .toFormat(format)
    .toBuffer();
}

/** Raw RGB pixels of a text image. */
export async function textPixels(text: string, width = 480): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(svg([text], width, 80))
    .flatten()
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Multi-page TIFF or animated GIF, one text line per page. */
export async function multiPage(pages: string[], format: 'tiff' | 'gif'): Promise<Buffer> {
  const frames = await Promise.all(pages.map((p) => textImage(p, 'png')));
  return sharp(frames, { join: { animated: true } })
    .toFormat(format)
    .toBuffer();
}

/**
 * Encodes RGB pixels as an uncompressed BMP (bottom-up unless topDown), at 24 or 32 bits, or at
 * 1/4/8 bits through a gray palette (pixels are thresholded/quantized from the red channel).
 */
export function encodeBmp(
  px: { data: Buffer; width: number; height: number },
  bpp: 1 | 4 | 8 | 24 | 32,
  topDown = false,
): Buffer {
  const { data, width, height } = px;
  const paletteEntries = bpp <= 8 ? 1 << bpp : 0;
  const rowSize = Math.floor((bpp * width + 31) / 32) * 4;
  const offset = 14 + 40 + paletteEntries * 4;
  const buf = Buffer.alloc(offset + rowSize * height);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(offset, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(topDown ? -height : height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(bpp, 28);
  buf.writeUInt32LE(0, 30);
  buf.writeUInt32LE(rowSize * height, 34);
  buf.writeUInt32LE(paletteEntries, 46);
  const levels = paletteEntries - 1;
  for (let i = 0; i < paletteEntries; i++) {
    const v = Math.round((i * 255) / levels);
    buf.writeUInt32LE((v << 16) | (v << 8) | v, 54 + i * 4);
  }
  for (let y = 0; y < height; y++) {
    const row = offset + (topDown ? y : height - 1 - y) * rowSize;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      const [r, g, b] = [data[s], data[s + 1], data[s + 2]];
      if (bpp === 24 || bpp === 32) {
        const p = row + x * (bpp / 8);
        buf[p] = b;
        buf[p + 1] = g;
        buf[p + 2] = r;
        if (bpp === 32) buf[p + 3] = 255;
      } else {
        const idx = Math.round((r / 255) * levels);
        const bit = x * bpp;
        buf[row + (bit >> 3)] |= idx << (8 - bpp - (bit & 7));
      }
    }
  }
  return buf;
}

export interface Part {
  field: string;
  filename?: string;
  data: Buffer | string;
  contentType?: string;
}

/** A multipart/form-data body for app.inject. */
export async function multipart(parts: Part[]): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const p of parts) {
    if (typeof p.data === 'string' && p.filename === undefined) form.append(p.field, p.data);
    else
      form.append(
        p.field,
        new Blob([typeof p.data === 'string' ? p.data : new Uint8Array(p.data)], {
          type: p.contentType ?? 'application/octet-stream',
        }),
        p.filename ?? 'file',
      );
  }
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    headers: { 'content-type': req.headers.get('content-type')! },
  };
}

/** Polls the job until it is finished; returns the result response. */
export async function waitForResult(app: FastifyInstance, jobId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/ocr/job/${jobId}` });
    if (res.statusCode === 200) return app.inject({ method: 'GET', url: `/ocr/job/${jobId}/result` });
    if (res.statusCode !== 202) throw new Error(`polling ${jobId}: ${res.statusCode} ${res.body}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Letters and digits only, lower case: OCR output compared without spacing/punctuation noise. */
export const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
