// The result cache service (src/jobs/backend.ts) as `app.resultCache`: in-memory LRU bounded by
// CACHE_MAX_BYTES, or Redis in Redis mode; entries live REDIS_CACHE_TTL.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { Backend } from '../jobs/backend.js';
import type { ResultCache } from '../jobs/result-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    resultCache: ResultCache;
  }
}

export default fp(
  async function resultCachePlugin(app: FastifyInstance, opts: { backend: Backend }) {
    app.decorate('resultCache', opts.backend.cache);
  },
  { name: 'result-cache', fastify: '5.x', dependencies: ['redis'] },
);
