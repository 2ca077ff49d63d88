// GET /ocr/job/:job_id/page/:n.png: a page of a finished job as a PNG at most PREVIEW_WIDTH pixels
// wide, for the web page's viewer (boxes are drawn over it in the result's pixel frame). Built
// from the kept upload: images are decoded as the job decoded them (same orientation), PDF pages
// are rendered on the render thread at a dpi giving that width. Previews are kept in a small LRU
// (PREVIEW_CACHE_BYTES) no longer than the result, and sent with a private max-age to match.
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';

import type { Config } from '../../config.js';
import { ApiError } from '../../errors.js';
import { detectType } from '../../image/detect.js';
import { decodePages } from '../../image/decode.js';
import type { JobRecord } from '../../jobs/types.js';
import { layoutOf } from '../../output/layout.js';
import { inSharedMemory } from '../../pdf/shared.js';
import { pageImageRoute } from '../../schemas/page-image.js';

export const PREVIEW_WIDTH = 1600;
const PREVIEW_CACHE_BYTES = 32 * 1024 * 1024;

type Request = { Params: { job_id: string; n: number } };

export default async function pageImageRoutes(app: FastifyInstance, opts: { config: Config }) {
  const { config } = opts;
  const cache = new Map<string, { png: Buffer; expires: number }>();
  let cached = 0;
  const remember = (key: string, png: Buffer, expires: number) => {
    if (png.byteLength > PREVIEW_CACHE_BYTES / 4) return;
    cache.set(key, { png, expires });
    cached += png.byteLength;
    for (const [k, v] of cache) {
      if (cached <= PREVIEW_CACHE_BYTES) break;
      cache.delete(k);
      cached -= v.png.byteLength;
    }
  };

  async function render(job: JobRecord, n: number): Promise<Buffer> {
    const page = layoutOf(job.output!).find((p) => p.page === n);
    if (!page || !page.success) throw new ApiError('not_found', `Job ${job.id} has no recognized page ${n}`);
    const source = await app.jobs.source(job.id);
    const type = source && detectType(source);
    if (!source || !type)
      throw new ApiError('not_found', `The upload of job ${job.id} is no longer kept, so the page cannot be shown`);
    const width = Math.min(PREVIEW_WIDTH, page.width || PREVIEW_WIDTH);
    if (type === 'pdf') {
      const scale = page.width ? Math.min(1, PREVIEW_WIDTH / page.width) : 1;
      const dpi = Math.max(10, Math.floor((page.dpi ?? config.defaultDpi) * scale));
      const r = await app.ocrPool.renderPage({
        type: 'pdf-page',
        pdf: inSharedMemory(source),
        docKey: `preview:${job.id}`,
        page: n - 1,
        dpi,
        maxPixels: config.maxPdfPagePixels,
      });
      if (!r.ok) throw new ApiError(r.code, r.message);
      if (!('data' in r)) throw new Error('The render thread answered a preview with text'); // no pdfText asked: never
      return sharp(r.data, { raw: { width: r.width, height: r.height, channels: 1 } })
        .png({ compressionLevel: 6 })
        .toBuffer();
    }
    const limits = {
      maxWidth: config.maxImageWidth,
      maxHeight: config.maxImageHeight,
      maxPixels: config.maxImagePixels,
    };
    let i = 0;
    for await (const p of decodePages(source, type, n, limits)) {
      if (++i < n) continue;
      if (p instanceof Error) throw p;
      return sharp(p.data, { raw: { width: p.width, height: p.height, channels: p.channels } })
        .resize({ width, withoutEnlargement: true })
        .png({ compressionLevel: 6 })
        .toBuffer();
    }
    throw new ApiError('not_found', `Job ${job.id} has no page ${n}`);
  }

  app.get<Request>('/ocr/job/:job_id/page/:n.png', { schema: pageImageRoute }, async (request, reply) => {
    const { job_id: id, n } = request.params;
    const job = await app.jobs.get(id);
    if (!job || !app.canReadJob(request, job))
      throw new ApiError('not_found', `Job ${id} not found (unknown or expired)`);
    if (job.status !== 'completed')
      throw new ApiError('not_found', `Job ${id} has no result yet (status ${job.status})`);
    const expires = (job.finishedAt ?? Date.now()) + config.resultTtl * 1000;
    const key = `${id}:${n}`;
    let hit = cache.get(key);
    if (hit && hit.expires <= Date.now()) {
      cache.delete(key);
      cached -= hit.png.byteLength;
      hit = undefined;
    }
    const png = hit?.png ?? (await render(job, n));
    if (!hit) remember(key, png, expires);
    reply.header('cache-control', `private, max-age=${Math.max(0, Math.floor((expires - Date.now()) / 1000))}`);
    return reply.code(200).type('image/png').send(png);
  });
}
