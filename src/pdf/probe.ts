// The submission-time PDF check (page count, encryption, corruption) runs in a thread of its own,
// started per document and ended after the answer. PDFium needs the whole document inside its
// WebAssembly heap, which never shrinks and is freed only with its thread: here it is freed at
// once, not at the next garbage collection, and the API's event loop never waits on PDFium.
import { Worker } from 'node:worker_threads';

import { ApiError, type ErrorCode } from '../errors.js';
import type { PdfInfo } from './render.js';

type Answer = { ok: true; info: PdfInfo } | { ok: false; code: ErrorCode; message: string };

/**
 * `bytes` should sit in a SharedArrayBuffer (the thread then reads it without a copy). A document
 * PDFium cannot open within `timeoutMs` is refused like a corrupt one.
 */
export function probePdf(
  bytes: Uint8Array,
  limits: { maxPages: number; timeoutMs?: number; maxMemoryBytes?: number },
): Promise<PdfInfo> {
  const timeoutMs = limits.timeoutMs ?? 30_000;
  return new Promise<PdfInfo>((resolve, reject) => {
    const worker = new Worker(new URL('./probe-thread.js', import.meta.url), {
      workerData: { bytes, maxPages: limits.maxPages, maxMemoryBytes: limits.maxMemoryBytes },
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new ApiError('undecodable', `Could not open the PDF within ${timeoutMs / 1000} s (corrupt or too complex)`),
          ),
        ),
      timeoutMs,
    );
    worker.once('message', (a: Answer) =>
      finish(() => (a.ok ? resolve(a.info) : reject(new ApiError(a.code, a.message)))),
    );
    worker.once('error', (err) =>
      finish(() => reject(new ApiError('undecodable', `Could not open the PDF: ${err.message}`))),
    );
    worker.once('exit', (code) =>
      finish(() => reject(new ApiError('undecodable', `Could not open the PDF (the check ended with code ${code})`))),
    );
  });
}
