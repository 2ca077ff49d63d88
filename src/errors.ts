// Expected failures carry a code; the code maps to an HTTP status in this one place.
export type ErrorCode =
  | 'bad_request'
  | 'missing_file'
  | 'empty_file'
  | 'too_many_files'
  | 'payload_too_large'
  | 'unsupported_type'
  | 'undecodable'
  | 'image_too_large'
  | 'too_many_pages'
  | 'page_too_large'
  | 'queue_full'
  | 'unavailable'
  | 'timeout'
  | 'ocr_failed'
  | 'not_found'
  | 'language_unavailable'
  | 'invalid_parameter'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'shutting_down'
  | 'unauthorized'
  | 'internal';

/**
 * What a job can fail with (its record's `error.code`): an ErrorCode, or one only a job ends with:
 * `shutdown` (the service stopped while it waited or ran), `cancelled` (deleted while it ran).
 */
export type JobErrorCode = ErrorCode | 'shutdown' | 'cancelled';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  missing_file: 400,
  empty_file: 400,
  too_many_files: 400,
  payload_too_large: 413,
  unsupported_type: 415,
  undecodable: 422,
  image_too_large: 422,
  too_many_pages: 422,
  page_too_large: 422,
  queue_full: 503,
  unavailable: 503,
  timeout: 422,
  ocr_failed: 422,
  not_found: 404,
  language_unavailable: 422,
  invalid_parameter: 400,
  method_not_allowed: 405,
  rate_limited: 429,
  shutting_down: 503,
  unauthorized: 401,
  internal: 500,
};

/** The code of an error answered without an ApiError (router, validation, framework), by status. */
export function codeOfStatus(status: number): ErrorCode {
  const found = (Object.keys(STATUS) as ErrorCode[]).find((c) => STATUS[c] === status);
  return status === 400
    ? 'bad_request'
    : status === 404
      ? 'not_found'
      : status === 422
        ? 'undecodable'
        : (found ?? (status >= 500 ? 'internal' : 'bad_request'));
}

const LABEL: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Rate limit exceeded',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export function labelOf(status: number): string {
  return LABEL[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}

/** The error body of every non-2xx response. */
export interface ErrorBody {
  error: string;
  message: string;
  /** Machine-readable: one of ErrorCode (the catalogue in docs/api.md). */
  code: string;
  filename?: string;
}

/** An expected, client-caused failure: its message is safe to send. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  filename?: string;
  /** Seconds, for 503. */
  retryAfter?: number;

  constructor(code: ErrorCode, message: string, filename?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = statusOf(code);
    this.filename = filename;
  }

  body(): ErrorBody {
    const b: ErrorBody = { error: labelOf(this.statusCode), message: this.message, code: this.code };
    if (this.filename !== undefined) b.filename = this.filename;
    return b;
  }
}
