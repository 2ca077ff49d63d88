// Redis clients of the two roles. The API (producer) fails fast: no offline queue, short timeouts,
// so a submission while Redis is away is a 503 at once. Workers wait Redis out instead
// (maxRetriesPerRequest: null), as BullMQ requires for its blocking connections.
import { Redis, type RedisOptions } from 'ioredis';
import type { BaseLogger } from 'pino';

export type RedisRole = 'producer' | 'worker';

export function redisOptions(role: RedisRole): RedisOptions {
  const retryStrategy = (times: number) => Math.min(100 * times, 2000);
  if (role === 'producer') {
    return {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      retryStrategy,
    };
  }
  return { maxRetriesPerRequest: null, retryStrategy };
}

export function createRedis(url: string, role: RedisRole): Redis {
  return new Redis(url, redisOptions(role));
}

/**
 * Logs the API client's outages once each, and their end: while Redis is away, submissions answer
 * 503 (the client has no offline queue) and ioredis reconnects by itself.
 */
export function watchProducer(client: Redis, log: Pick<BaseLogger, 'info' | 'warn'>): void {
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) log.warn({ err: err.message }, 'Redis connection lost; submissions answer 503 until it is back');
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('Redis connection restored');
    down = false;
  });
}

/** Key names, all under one prefix so several deployments (or test apps) share a server. */
export class Keys {
  constructor(readonly prefix: string) {}
  job(id: string) {
    return `${this.prefix}:job:${id}`;
  }
  blob(id: string) {
    return `${this.prefix}:blob:${id}`;
  }
  cache(key: string) {
    return `${this.prefix}:cache:${key}`;
  }
  get rateLimit() {
    return `${this.prefix}:rl:`;
  }
  /** The times (ms) of the last pages finished by any worker: the measured pages/s for Retry-After. */
  get pageTimes() {
    return `${this.prefix}:pagetimes`;
  }
}

/** BullMQ queue names (under Keys.prefix). */
export const OCR_QUEUE = 'ocr';
export const WEBHOOK_QUEUE = 'webhook';

/** Rejects with `onTimeout()` when `p` has not settled after `ms`. */
export function deadline<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
