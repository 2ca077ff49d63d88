// The submission-time PDF check (page count, encryption, corruption) runs in a thread of its own,
// started per document and ended after the answer. PDFium needs the whole document inside its
// WebAssembly heap, which never shrinks and is freed only with its thread: here it is freed at
// once, not at the next garbage collection, and the API's event loop never waits on PDFium.
import { ApiError } from '../errors.js';
import type { Failure } from '../threads/failure.js';
import { runOneShot } from '../threads/one-shot.js';
import type { PdfInfo } from './render.js';

type Answer = { ok: true; info: PdfInfo } | Failure;

/**
 * `bytes` should sit in a SharedArrayBuffer (the thread then reads it without a copy). A document
 * PDFium cannot open within `timeoutMs` is refused like a corrupt one.
 */
export async function probePdf(
  bytes: Uint8Array,
  limits: { maxPages: number; timeoutMs?: number; maxMemoryBytes?: number },
): Promise<PdfInfo> {
  const timeoutMs = limits.timeoutMs ?? 30_000;
  const a = await runOneShot<Answer>(new URL('./probe-thread.js', import.meta.url), {
    workerData: { bytes, maxPages: limits.maxPages, maxMemoryBytes: limits.maxMemoryBytes },
    timeoutMs,
    timedOut: () =>
      new ApiError('undecodable', `Could not open the PDF within ${timeoutMs / 1000} s (corrupt or too complex)`),
    crashed: (err) => new ApiError('undecodable', `Could not open the PDF: ${err.message}`),
    exited: (code) => new ApiError('undecodable', `Could not open the PDF (the check ended with code ${code})`),
  });
  if (!a.ok) throw new ApiError(a.code, a.message);
  return a.info;
}
