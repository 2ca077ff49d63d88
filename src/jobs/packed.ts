// Finished pages kept as deflated JSON bytes (a Buffer: outside the JS heap) until they are needed
// as objects. A page of a typeset manual is 60-75 KB of JSON (lines, words, four-corner boxes),
// ~180 KB of heap as objects, 17-22 KB deflated. Holding every page of a long document as objects,
// or as plain JSON twice (the job's pages and the partial results), made memory grow with the
// document's length (README, "How memory stays flat"). Deflating runs on libuv's thread pool, not
// on the event loop; level 1 packs 3.5x at about 1 ms a page.
import { promisify } from 'node:util';
import { constants, deflateRaw, inflateRaw, inflateRawSync } from 'node:zlib';

import type { PageText } from './types.js';

export type PackedPage = Buffer;

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);
const LEVEL = { level: constants.Z_BEST_SPEED };

export const packPage = (p: PageText): Promise<PackedPage> => deflate(JSON.stringify(p), LEVEL);

/** The pages as objects, inflated on the thread pool (a job's output, assembled at its end). */
export async function unpackPages(packed: PackedPage[]): Promise<PageText[]> {
  const bytes = await Promise.all(packed.map((b) => inflate(b)));
  return bytes.map((b) => JSON.parse(b.toString('utf8')) as PageText);
}

/** One page as an object, on the caller's thread: `?partial=true` reads (about 0.5 ms a page to inflate). */
export const unpackPage = (b: PackedPage): PageText => JSON.parse(inflateRawSync(b).toString('utf8')) as PageText;
