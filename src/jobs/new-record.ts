// The record a submission starts as, shared by every JobQueue implementation so that both modes
// report the same progress and cache behaviour.
import { randomUUID } from 'node:crypto';

import type { JobMetrics } from '../metrics/ocr-metrics.js';
import { type ResultCache, cacheKey } from './result-cache.js';
import type { JobInput, JobRecord } from './types.js';

/**
 * A fresh record for `input`, and its cache key. When the cache already holds the result, the
 * record comes back completed with `cached: true` and no OCR is needed. `total_pages` counts the
 * pages that will be processed (the selection, when there is one).
 */
export async function newJobRecord(
  input: JobInput,
  cache: ResultCache,
  cacheParts: { modelSet: string; lang: string },
  metrics?: JobMetrics,
): Promise<{ record: JobRecord; key: string }> {
  const key = cacheKey(input.bytes, {
    kind: input.kind,
    dpi: input.dpi,
    ...cacheParts,
    // The request's language choice: a French page read with restoration is another result.
    ...(input.language && {
      modelSet: input.language.modelSet,
      lang: `${input.language.lang}${input.language.diacritics ? '' : '-nodia'}`,
    }),
    ...(input.pageList && { pages: input.pageList.join(',') }),
    // Pages read as they are (orientation off) are another result; on is the key it always had.
    ...(input.orientation === false && { orientation: 'off' }),
    // Pages answered from their own text are another result than the same pages read by OCR.
    ...(input.kind === 'pdf' && { pdfText: input.pdfText ?? 'auto' }),
  });
  const now = Date.now();
  const total = input.pageList?.length ?? input.pages;
  const record: JobRecord = {
    id: randomUUID(),
    status: 'queued',
    kind: input.kind,
    filename: input.filename,
    fileSize: input.bytes.byteLength,
    dpi: input.dpi,
    createdAt: now,
    progress: { pages_done: 0, total_pages: total },
    cached: false,
  };
  if (input.owner) record.owner = input.owner;
  const hit = await cache.get(key);
  metrics?.cache(hit !== undefined);
  if (hit) {
    Object.assign(record, { status: 'completed', cached: true, output: hit, startedAt: now, finishedAt: Date.now() });
    record.progress.pages_done = total;
    metrics?.job(input.kind, 'cached');
  }
  return { record, key };
}
