// Finished pages kept as JSON bytes (a Buffer: outside the JS heap) until they are needed as
// objects. A page of a typeset manual is ~45 KB of JSON against ~180 KB of heap as objects (lines,
// words, four-corner boxes); holding every page of a long document as objects until it was
// assembled made memory grow with the document's length (README, "How memory stays flat").
import type { PageText } from './types.js';

export type PackedPage = Buffer;

export const packPage = (p: PageText): PackedPage => Buffer.from(JSON.stringify(p));
export const unpackPage = (b: PackedPage): PageText => JSON.parse(b.toString('utf8')) as PageText;
