// The Redis connection of Redis mode (src/jobs/backend.ts): one fail-fast client (no offline queue)
// shared by the job queue, the result cache, the blob store and the rate limit, as `app.redis`;
// the app is ready once it is connected, and it closes with the app. In memory mode (no REDIS_URL)
// nothing is registered.
import fastifyRedis from '@fastify/redis';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { Backend } from '../jobs/backend.js';

export default fp(
  async function redisPlugin(app: FastifyInstance, opts: { backend: Backend }) {
    const redis = opts.backend.redis;
    if (!redis) return;
    await app.register(fastifyRedis, { client: redis.client, closeClient: true });
  },
  { name: 'redis', fastify: '5.x' },
);
