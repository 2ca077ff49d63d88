// What the rest of the service asks of an OCR pool. Two implement it: the threads of this process
// (ThreadPool, src/pool/thread-pool.ts) and the stand-in of an API replica that runs no engine
// (RemotePool, src/jobs/redis/remote-pool.ts), so the jobs, routes and health probes need not know
// which one they got.
import type { EngineInfo, OcrTask, PageResult, PdfPageTask, RenderResult } from './tasks.js';

export interface PoolStats {
  workers: number;
  threadsPerWorker: number;
  spinning?: boolean;
  /** Tasks waiting for a thread. */
  queued: number;
  /** 0..1 over the pool's life. */
  utilization: number;
  /** OCR tasks running or waiting in this pool right now (metrics: busy share of the threads). */
  active?: number;
  completed: number;
}

export interface OcrPool {
  /** The engine the pool runs (model set, execution provider); undefined until start() resolved. */
  readonly info: EngineInfo | undefined;
  /** Loads the models; rejects with why the engine could not be loaded. */
  start(): Promise<EngineInfo>;
  /**
   * Runs one page. An image task's pixel buffer is transferred: the caller must not read it again.
   * Resolves with plain data (expected failures included); rejects only for bugs or an abort of
   * `signal` (the job's).
   */
  run(task: OcrTask, signal?: AbortSignal): Promise<PageResult>;
  /** Renders one PDF page to gray pixels, without OCR (page previews). */
  renderPage(task: PdfPageTask, signal?: AbortSignal): Promise<RenderResult>;
  stats(): PoolStats;
  /** Milliseconds the pool has had pages to do without finishing one (0 when idle): /health/alive. */
  stalledMs(now?: number): number;
  /** Ends the threads; with `force`, tasks still running are abandoned (shutdown past its grace). */
  close(force?: boolean): Promise<void>;
}
