// The OCR pool service (src/pool, made by src/jobs/backend.ts) as `app.ocrPool`: its models load
// before the app is ready, its threads end when the app closes.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { Config } from '../config.js';
import type { Backend } from '../jobs/backend.js';
import type { OcrPool } from '../pool/ocr-pool.js';

declare module 'fastify' {
  interface FastifyInstance {
    ocrPool: OcrPool;
  }
}

export default fp(
  async function ocrPoolPlugin(app: FastifyInstance, opts: { config: Config; backend: Backend }) {
    const { pool, mode } = opts.backend;
    app.decorate('ocrPool', pool);
    app.addHook('onClose', async () => {
      await pool.close(true); // the jobs were given their grace (or aborted) before this
    });
    let info;
    try {
      info = await pool.start();
    } catch (err) {
      await pool.close();
      throw err;
    }
    // An API replica without engine (WORKER_IN_PROCESS=false) loads none: its workers log theirs.
    if (!mode.runsJobs) return;
    app.log.info(
      { ...info, workers: opts.config.workers, threadsPerWorker: opts.config.threadsPerWorker },
      'OCR engine loaded',
    );
  },
  { name: 'ocr-pool', fastify: '5.x' },
);
