// Test helpers: a fresh app per test file (real engine, real pool), generated fixtures, multipart bodies.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { TestContext } from 'node:test';

import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';

export { multipart, type Part, submit, submitJob, type SubmitOptions } from './submit.js';

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
