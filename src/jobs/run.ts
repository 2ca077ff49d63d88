// Runs one job for either queue (memory-queue.ts, redis/worker.ts): its page work under one abort
// signal, JOB_TIMEOUT from its start, and every way it can end sorted into one outcome with the
// message clients read. The queues only decide what each outcome does to their records.
import { ApiError, type JobErrorCode } from '../errors.js';
import { type ProcessContext, processJob } from './process.js';
import type { JobInput, JobOutput } from './types.js';

const CANCELLED = Symbol('cancelled');
const SHUTDOWN = Symbol('shutdown');
const TIMEOUT = Symbol('timeout');

/** Stops a running job's page work from outside: the pages not yet started are not started. */
export class JobAbort {
  readonly #abort = new AbortController();
  get signal(): AbortSignal {
    return this.#abort.signal;
  }
  /** Deleted through the API. */
  cancel(): void {
    this.#abort.abort(CANCELLED);
  }
  /** The shutdown grace ran out. */
  shutDown(): void {
    this.#abort.abort(SHUTDOWN);
  }
  timeOut(): void {
    this.#abort.abort(TIMEOUT);
  }
  get cancelled(): boolean {
    return this.#abort.signal.reason === CANCELLED;
  }
}

/**
 * How a job ended. `cancelled`: deleted; `shutdown`: the service shut down while it ran; `timeout`:
 * JOB_TIMEOUT; `rejected`: an expected failure (bad input, no page read); `internal`: a bug or an
 * outage, `cause` being the error (a Redis worker retries it).
 */
export type JobOutcome =
  | { ok: true; output: JobOutput }
  | {
      ok: false;
      reason: 'cancelled' | 'shutdown' | 'timeout' | 'rejected' | 'internal';
      code: JobErrorCode;
      message: string;
      cause?: unknown;
    };

export interface RunOptions extends Omit<ProcessContext, 'signal'> {
  /** JOB_TIMEOUT: seconds the job may run from now. */
  timeoutSeconds: number;
  /** Aborts the job from outside (delete, shutdown). */
  abort: JobAbort;
  /**
   * Stores the output (record, cache). Part of the run: a failure here is sorted like the page
   * work's (an outage while writing the result is an internal failure, retried in Redis mode).
   */
  complete(output: JobOutput): Promise<void>;
  /** An internal failure, before it is reported as one (logs). */
  onError?(err: unknown): void;
}

/** Runs the job to its outcome; never throws. */
export async function runJob(jobId: string, input: JobInput, o: RunOptions): Promise<JobOutcome> {
  const { timeoutSeconds, abort, complete, onError, ...ctx } = o;
  const progress = { done: 0, total: input.pageList?.length ?? input.pages };
  const timer = setTimeout(() => abort.timeOut(), timeoutSeconds * 1000);
  try {
    const output = await processJob(jobId, input, {
      ...ctx,
      signal: abort.signal,
      onProgress: (done, total) => {
        Object.assign(progress, { done, total });
        ctx.onProgress(done, total);
      },
    });
    if (abort.signal.aborted) throw abort.signal.reason;
    await complete(output);
    return { ok: true, output };
  } catch (err) {
    const reason: unknown = abort.signal.reason;
    if (reason === CANCELLED)
      return { ok: false, reason: 'cancelled', code: 'cancelled', message: 'The job was deleted' };
    if (reason === SHUTDOWN) {
      const message =
        'The service shut down while this job was running (SHUTDOWN_GRACE ran out after ' +
        `${progress.done} of ${progress.total} pages); submit it again`;
      return { ok: false, reason: 'shutdown', code: 'shutdown', message };
    }
    if (abort.signal.aborted) {
      const message = `Processing took longer than JOB_TIMEOUT (${timeoutSeconds} s)`;
      return { ok: false, reason: 'timeout', code: 'timeout', message };
    }
    if (err instanceof ApiError) return { ok: false, reason: 'rejected', code: err.code, message: err.message };
    onError?.(err);
    const message = 'Processing failed because of an internal error';
    return { ok: false, reason: 'internal', code: 'ocr_failed', message, cause: err };
  } finally {
    clearTimeout(timer);
  }
}
