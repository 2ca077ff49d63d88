// The Piscina pool of OCR threads. Threads × ORT intra-op threads is the CPU budget
// (OCR_WORKERS × OCR_THREADS_PER_WORKER). Pixel buffers are moved into the workers, never copied.
import { fileURLToPath } from 'node:url';

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Piscina } from 'piscina';

import type { Config } from '../config.js';
import { remotePool } from '../jobs/redis/remote-pool.js';
import type { EngineInfo, OcrTask, PageResult, WorkerSettings } from '../worker/tasks.js';

export const WORKER_FILE = fileURLToPath(new URL('../worker/ocr-worker.js', import.meta.url));

export interface PoolStats {
  workers: number;
  threadsPerWorker: number;
  /** Tasks waiting for a thread. */
  queued: number;
  /** 0..1 over the pool's life. */
  utilization: number;
  completed: number;
}

export class OcrPool {
  readonly #pool: Piscina;
  readonly #threadsPerWorker: number;
  info: EngineInfo | undefined;

  constructor(config: Pick<Config, 'workers' | 'threadsPerWorker' | 'model' | 'modelsDir' | 'useClassifier' | 'lang' | 'useGpu'>) {
    const settings: WorkerSettings = {
      model: config.model,
      modelsDir: config.modelsDir,
      useClassifier: config.useClassifier,
      lang: config.lang,
      threadsPerWorker: config.threadsPerWorker,
      useGpu: config.useGpu,
    };
    this.#threadsPerWorker = config.threadsPerWorker;
    this.#pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: config.workers,
      maxThreads: config.workers,
      idleTimeout: Number.MAX_SAFE_INTEGER,
      maxQueue: 'auto',
      workerData: settings,
    });
  }

  /** Loads the models (one task reaches one thread; the others load theirs as they start). */
  async start(): Promise<EngineInfo> {
    this.info = (await this.#pool.run({ type: 'info' } satisfies OcrTask)) as EngineInfo;
    return this.info;
  }

  /**
   * Runs one page. An image task's pixel buffer is transferred: the caller must not read it again.
   * Resolves with the worker's plain-data result; rejects only for bugs or an abort.
   */
  run(task: OcrTask, signal?: AbortSignal): Promise<PageResult> {
    const transferList = task.type === 'image' ? [task.data.buffer as ArrayBuffer] : undefined;
    return this.#pool.run(task, { transferList, signal });
  }

  stats(): PoolStats {
    return {
      workers: this.#pool.threads.length,
      threadsPerWorker: this.#threadsPerWorker,
      queued: this.#pool.queueSize,
      utilization: this.#pool.utilization,
      completed: this.#pool.completed,
    };
  }

  close(): Promise<void> {
    return this.#pool.close({ force: false });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    ocrPool: OcrPool;
  }
}

export default fp(
  async function ocrPoolPlugin(app: FastifyInstance, opts: { config: Config }) {
    if (opts.config.redisUrl && !opts.config.workerInProcess) {
      app.decorate('ocrPool', remotePool(opts.config)); // worker processes run the engine
      return;
    }
    const pool = new OcrPool(opts.config);
    app.decorate('ocrPool', pool);
    app.addHook('onClose', async () => {
      await pool.close();
    });
    let info: EngineInfo;
    try {
      info = await pool.start();
    } catch (err) {
      await pool.close();
      throw err;
    }
    app.log.info({ ...info, workers: opts.config.workers, threadsPerWorker: opts.config.threadsPerWorker }, 'OCR engine loaded');
  },
  { name: 'ocr-pool', fastify: '5.x' },
);
