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
  | 'language_unavailable';

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
};

const LABEL: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
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
    const b: ErrorBody = { error: labelOf(this.statusCode), message: this.message };
    if (this.filename !== undefined) b.filename = this.filename;
    return b;
  }
}

/** A failure returned as data by a worker (errors crossing worker_threads lose their code). */
export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
}
