// Thread entry of buildSearchablePdf (pdf-builder.ts): pdf-lib parses the whole original file,
// including objects nobody references, so it runs here with bounds: the V8 heap (resourceLimits),
// the bytes its stream decoders may produce (a 4 KB object stream inflating to gigabytes stops at
// the limit) and, from the parent, the time. The PDF is moved (not copied) to the parent.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

import type { FileType } from '../image/detect.js';
import type { JobOutput } from '../jobs/types.js';
import { failureOf } from '../threads/failure.js';
import { searchablePdf } from './searchable-pdf.js';

const { source, type, output, maxDecodedBytes } = workerData as {
  source: Uint8Array;
  type: FileType;
  output: JobOutput;
  maxDecodedBytes: number;
};

// pdf-lib reports each object it recovers from on the console: one line per object of a hostile file.
console.log = console.warn = () => {};

export class DecodeLimitError extends Error {}

// pdf-lib's stream decoders (Flate, LZW, ASCII85, ...) all grow their output through
// DecodeStream.prototype.ensureBuffer: count what they ask for, in total, and stop past the limit.
const require = createRequire(import.meta.url);
const DecodeStream = (
  require('pdf-lib/cjs/core/streams/DecodeStream.js') as {
    default: { prototype: { ensureBuffer(n: number): Uint8Array } };
  }
).default;
const ensureBuffer = DecodeStream.prototype.ensureBuffer;
let decoded = 0;
DecodeStream.prototype.ensureBuffer = function (this: { buffer: Uint8Array }, requested: number) {
  const before = this.buffer.byteLength;
  if (requested > before && decoded + requested > maxDecodedBytes) {
    throw new DecodeLimitError(`its streams decode to more than ${Math.round(maxDecodedBytes / 2 ** 20)} MB`);
  }
  const buffer = ensureBuffer.call(this, requested);
  decoded += buffer.byteLength - before; // what was allocated
  return buffer;
};

try {
  const pdf = await searchablePdf(Buffer.from(source.buffer, source.byteOffset, source.byteLength), type, output);
  parentPort!.postMessage({ ok: true, pdf }, [pdf.buffer as ArrayBuffer]);
} catch (err) {
  // The parent words the message; only its first line, bounded, is kept from a hostile file's error.
  const detail =
    err instanceof RangeError && /call stack/i.test(err.message)
      ? 'its structure nests or loops without end (a page tree that contains itself?)'
      : err;
  parentPort!.postMessage(failureOf(detail, 'undecodable', { maxLength: 300 }));
}
