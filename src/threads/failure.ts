// Errors crossing worker_threads lose custom properties such as `code`, so threads answer expected
// failures as data. This is the one place a caught error becomes that data: an ApiError keeps its
// code and message (they are meant for the client); anything else gets the caller's code and
// wording around its message.
import { ApiError, type ErrorCode } from '../errors.js';

/** An expected failure, as a thread answers it (and as a page's result records it). */
export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
}

/** A failure as data, for the failures a thread or its parent finds without an error to catch. */
export function failure(code: ErrorCode, message: string): Failure {
  return { ok: false, code, message };
}

/** The message of anything thrown: an Error's message, else its string form. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface FailureOptions {
  /** Wording around the message of an error that is not an ApiError (default: the message alone). */
  describe?: (detail: string) => string;
  /** Keep only the first line of the message, at most this many characters (default: unbounded). */
  maxLength?: number;
}

/**
 * `err` as `{ ok: false, code, message }`: an ApiError's own code and message, any other error's
 * message under `code` (worded by `describe`).
 */
export function failureOf(err: unknown, code: ErrorCode, o: FailureOptions = {}): Failure {
  const f =
    err instanceof ApiError
      ? failure(err.code, err.message)
      : failure(code, (o.describe ?? ((d) => d))(messageOf(err)));
  if (o.maxLength !== undefined) f.message = f.message.split('\n')[0].slice(0, o.maxLength);
  return f;
}
