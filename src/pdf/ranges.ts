// Page ranges of `POST /ocr/pdf?pages=1-3,7`: 1-based, inclusive, any order, duplicates merged.
import { ApiError } from '../errors.js';

/**
 * Parses `spec` against a document of `pageCount` pages; returns the page numbers ascending.
 * Throws ApiError('bad_request') (400) naming the part that is malformed or out of range.
 */
export function parsePageRanges(spec: string, pageCount: number): number[] {
  const pages = new Set<number>();
  const parts = spec.split(',').map((p) => p.trim());
  if (!spec.trim() || parts.some((p) => p === '')) {
    throw new ApiError('bad_request', `Malformed pages "${spec}": expected page numbers and ranges such as 1-3,7`);
  }
  for (const part of parts) {
    const m = /^(\d{1,9})(?:\s*-\s*(\d{1,9}))?$/.exec(part);
    if (!m)
      throw new ApiError(
        'bad_request',
        `Malformed pages "${spec}": "${part}" is not a page number or a range such as 1-3`,
      );
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to < from)
      throw new ApiError('bad_request', `Malformed pages "${spec}": "${part}" is not a range of pages from 1 up`);
    if (to > pageCount) {
      throw new ApiError(
        'bad_request',
        `pages "${part}" is out of range: the PDF has ${pageCount} page${pageCount === 1 ? '' : 's'}`,
      );
    }
    for (let p = from; p <= to; p++) pages.add(p);
  }
  return [...pages].sort((a, b) => a - b);
}
