// The Redis connection of Redis mode (REDIS_URL set): one fail-fast client (no offline queue)
// shared by the job queue, the result cache, the blob store and the rate limit. Without
// REDIS_URL nothing is registered and the other plugins pick their in-memory backends.
import fastifyRedis from '@fastify/redis';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

import type { Config } from '../config.js';
import { Keys, createRedis } from '../jobs/redis/connection.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Key names under REDIS_PREFIX; set in Redis mode only, beside `redis`. */
    redisKeys: Keys;
  }
}

export default fp(
  async function redisPlugin(app: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;
    if (!config.redisUrl) return;
    const client = createRedis(config.redisUrl, 'producer');
    let down = false;
    client.on('error', (err: Error) => {
      if (!down) app.log.warn({ err: err.message }, 'Redis connection lost; submissions answer 503 until it is back');
      down = true;
    });
    client.on('ready', () => {
      if (down) app.log.info('Redis connection restored');
      down = false;
    });
    await app.register(fastifyRedis, { client, closeClient: true });
    app.decorate('redisKeys', new Keys(config.redisPrefix));
  },
  { name: 'redis', fastify: '5.x' },
);
