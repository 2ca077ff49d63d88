// A thread started for one answer and ended right after it, so that whatever it held (PDFium's
// WebAssembly heap, pdf-lib's parse of a hostile file) goes with it at once. The answer is its
// first message; a timeout, a crash or an exit before that settles the call instead. It settles
// exactly once and the thread is terminated in every case.
import { type ResourceLimits, Worker } from 'node:worker_threads';

export interface OneShotOptions {
  workerData: unknown;
  resourceLimits?: ResourceLimits;
  /** Milliseconds before the thread is ended and `timedOut()` rejects the call. */
  timeoutMs: number;
  /** The error for a thread that did not answer within `timeoutMs`. */
  timedOut(): Error;
  /** The error for a thread that threw, or ran out of memory (`err.code` 'ERR_WORKER_OUT_OF_MEMORY'). */
  crashed(err: Error & { code?: string }): Error;
  /** The error for a thread that exited without answering. */
  exited(exitCode: number): Error;
}

/** Runs the thread entry `file` with `o.workerData`; resolves with its first message. */
export function runOneShot<Answer>(file: URL, o: OneShotOptions): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const worker = new Worker(file, { workerData: o.workerData, resourceLimits: o.resourceLimits });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => reject(o.timedOut())), o.timeoutMs);
    worker.once('message', (answer: Answer) => finish(() => resolve(answer)));
    worker.once('error', (err: Error & { code?: string }) => finish(() => reject(o.crashed(err))));
    worker.once('exit', (exitCode) => finish(() => reject(o.exited(exitCode))));
  });
}
