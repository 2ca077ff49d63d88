// The job queue service (src/jobs/backend.ts) as `app.jobs`: routes only see the JobQueue interface.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { Backend } from '../jobs/backend.js';
import type { JobQueue } from '../jobs/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobQueue;
    /**
     * First step of a shutdown (src/server.ts), run while the listener still answers: stops taking
     * jobs and lets the running ones finish within the jobs' part of SHUTDOWN_GRACE.
     */
    drainJobs(): Promise<void>;
  }
}

export default fp(
  async function jobsPlugin(app: FastifyInstance, opts: { backend: Backend }) {
    const jobs = await opts.backend.startJobs();
    app.decorate('jobs', jobs.queue);
    let drained: Promise<void> | undefined;
    app.decorate('drainJobs', () => (drained ??= jobs.drain()));
    // Hooks close in reverse order of registration: this runs before the pool (and Redis) close.
    app.addHook('onClose', async () => {
      await app.drainJobs();
      await jobs.close();
    });
  },
  { name: 'jobs', fastify: '5.x', dependencies: ['redis', 'ocr-pool', 'result-cache'] },
);
