// `?format=pdf` off the event loop: each searchable PDF is built in a thread of its own, bounded in
// time, V8 heap and decoded stream bytes; its memory goes with the thread. At most BUILDERS_MAX are
// built at once per process; the others wait (their time counts). A document pdf-lib cannot handle
// (looping page tree, decompression bomb, broken structure) is a 422 naming the reason.
import { Readable } from 'node:stream';

import { ApiError } from '../errors.js';
import type { Failure } from '../threads/failure.js';
import type { FileType } from '../image/detect.js';
import type { JobOutput } from '../jobs/types.js';
import { runOneShot } from '../threads/one-shot.js';

export const PDF_BUILD_LIMITS = {
  /** Milliseconds one build may take, waiting for a free builder included. */
  timeoutMs: 60_000,
  /** V8 old-generation heap of a builder thread. */
  heapMb: 512,
  /** Bytes pdf-lib's stream decoders may produce in one build. */
  maxDecodedBytes: 256 * 2 ** 20,
  /** Builds at once per process. */
  concurrent: 2,
};

let active = 0;
const waiting: (() => void)[] = [];

function failed(message: string): ApiError {
  return new ApiError('undecodable', `The searchable PDF could not be built: ${message}`);
}

async function slot(deadline: number): Promise<void> {
  if (active < PDF_BUILD_LIMITS.concurrent) {
    active++;
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const go = () => {
      clearTimeout(t);
      active++;
      resolve();
    };
    const t = setTimeout(
      () => {
        waiting.splice(waiting.indexOf(go), 1);
        const e = new ApiError('queue_full', 'Searchable PDFs are being built for other requests; retry shortly');
        e.retryAfter = 5;
        reject(e);
      },
      Math.max(0, deadline - Date.now()),
    );
    waiting.push(go);
  });
}

function release(): void {
  active--;
  waiting.shift()?.();
}

/** Builds the searchable PDF of a finished job in a thread; resolves with its bytes as a stream and their length. */
export async function buildSearchablePdf(
  source: Buffer,
  type: FileType,
  output: JobOutput,
): Promise<{ stream: Readable; length: number }> {
  const limits = PDF_BUILD_LIMITS;
  const deadline = Date.now() + limits.timeoutMs;
  await slot(deadline);
  let pdf: Uint8Array;
  try {
    const m = await runOneShot<{ ok: true; pdf: Uint8Array } | Failure>(
      new URL('./searchable-pdf-thread.js', import.meta.url),
      {
        workerData: { source, type, output, maxDecodedBytes: limits.maxDecodedBytes },
        resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
        timeoutMs: Math.max(0, deadline - Date.now()),
        timedOut: () => failed(`it took longer than ${limits.timeoutMs / 1000} s`),
        crashed: (err) =>
          failed(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needs more than ${limits.heapMb} MB of memory` : err.message,
          ),
        exited: (code) => failed(`the builder stopped (exit code ${code})`),
      },
    );
    if (!m.ok) throw failed(`pdf-lib cannot handle this document: ${m.message}`);
    pdf = m.pdf;
  } finally {
    release();
  }
  const CHUNK = 1 << 20;
  const chunks = (function* () {
    for (let at = 0; at < pdf.byteLength; at += CHUNK)
      yield Buffer.from(pdf.buffer, pdf.byteOffset + at, Math.min(CHUNK, pdf.byteLength - at));
  })();
  return { stream: Readable.from(chunks, { objectMode: false }), length: pdf.byteLength };
}
