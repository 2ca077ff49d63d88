// The result cache service (in-memory LRU bounded by CACHE_MAX_BYTES, TTL REDIS_CACHE_TTL).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { Config } from '../config.js';
import { RedisResultCache } from '../jobs/redis/cache.js';
import { MemoryResultCache, type ResultCache } from '../jobs/result-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    resultCache: ResultCache;
  }
}

export default fp(
  async function resultCachePlugin(app: FastifyInstance, opts: { config: Config }) {
    if (app.hasDecorator('redisKeys')) {
      app.decorate('resultCache', new RedisResultCache(app.redis, app.redisKeys, opts.config.cacheTtl));
      return;
    }
    app.decorate(
      'resultCache',
      new MemoryResultCache({ maxBytes: opts.config.cacheMaxBytes, ttlSeconds: opts.config.cacheTtl }),
    );
  },
  { name: 'result-cache', fastify: '5.x', dependencies: ['redis'] },
);
