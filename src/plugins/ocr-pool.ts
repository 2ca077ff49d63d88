// The OCR pool service (src/pool) as `app.ocrPool`: its models load before the app is ready, its
// threads end when the app closes.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { Config } from '../config.js';
import { RemotePool } from '../jobs/redis/remote-pool.js';
import type { OcrPool } from '../pool/ocr-pool.js';
import { ThreadPool } from '../pool/thread-pool.js';

declare module 'fastify' {
  interface FastifyInstance {
    ocrPool: OcrPool;
  }
}

export default fp(
  async function ocrPoolPlugin(app: FastifyInstance, opts: { config: Config }) {
    if (opts.config.redisUrl && !opts.config.workerInProcess) {
      app.decorate('ocrPool', new RemotePool(opts.config)); // worker processes run the engine
      return;
    }
    const pool = new ThreadPool(opts.config);
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
    app.log.info(
      { ...info, workers: opts.config.workers, threadsPerWorker: opts.config.threadsPerWorker },
      'OCR engine loaded',
    );
  },
  { name: 'ocr-pool', fastify: '5.x' },
);
