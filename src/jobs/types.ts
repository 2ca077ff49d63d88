// The job system behind one interface. The in-memory implementation (memory-queue.ts) is the
// default; a Redis/BullMQ one implements the same interface, so routes never branch on it.
import type { FileKind, FileType } from '../image/detect.js';
import type { OcrLine } from '../native/engine.js';

export type JobStatus = 'queued' | 'processing' | 'completed' | 'failed';

export interface JobInput {
  kind: FileKind;
  type: FileType;
  /** For display only; never used as a path. */
  filename: string;
  bytes: Buffer;
  /** Pages found at submission (TIFF pages, PDF pages). */
  pages: number;
  /** PDF rendering resolution. */
  dpi?: number;
}

export interface PageText {
  page: number;
  text: string;
  lines: OcrLine[];
  success: boolean;
  /** Set when success is false. */
  error?: string;
}

/** What a job produces: plain JSON, the unit stored in the result cache. */
export type JobOutput =
  | { kind: 'image'; text: string; lines: OcrLine[]; success: boolean; pages?: PageText[] }
  | { kind: 'pdf'; pages: PageText[]; full_text: string; total_pages: number; success: boolean; processing_dpi: number };

export interface JobRecord {
  id: string;
  status: JobStatus;
  kind: FileKind;
  filename: string;
  fileSize: number;
  dpi?: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  progress: { pages_done: number; total_pages: number };
  cached: boolean;
  output?: JobOutput;
  error?: { code: string; message: string };
}

export interface QueueStats {
  queued: number;
  processing: number;
  /** Jobs (any state) currently held. */
  stored: number;
  capacity: number;
  accepting: boolean;
}

export interface JobQueue {
  /** Creates a job (or a completed one from the cache). Throws ApiError('queue_full') with retryAfter. */
  submit(input: JobInput): Promise<JobRecord>;
  /** undefined for unknown or expired ids. */
  get(id: string): Promise<JobRecord | undefined>;
  stats(): Promise<QueueStats>;
  /** Stops accepting, lets running jobs finish within graceMs. */
  close(graceMs: number): Promise<void>;
}
