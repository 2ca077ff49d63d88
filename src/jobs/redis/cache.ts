// The content-hash result cache in Redis: shared by every replica, entries live REDIS_CACHE_TTL.
// Memory is bounded by Redis (maxmemory policy), not by CACHE_MAX_BYTES.
import type { Redis } from 'ioredis';

import type { ResultCache } from '../result-cache.js';
import type { JobOutput } from '../types.js';
import type { Keys } from './connection.js';

export class RedisResultCache implements ResultCache {
  #hits = 0;
  #misses = 0;

  constructor(
    readonly redis: Redis,
    readonly keys: Keys,
    readonly ttlSeconds: number,
  ) {}

  async get(key: string): Promise<JobOutput | undefined> {
    if (this.ttlSeconds <= 0) return undefined;
    const raw = await this.redis.get(this.keys.cache(key));
    if (raw === null) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    return JSON.parse(raw) as JobOutput;
  }

  async set(key: string, value: JobOutput): Promise<void> {
    if (this.ttlSeconds <= 0) return;
    await this.redis.set(this.keys.cache(key), JSON.stringify(value), 'EX', this.ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keys.cache(key));
  }

  /** Counters of this process only; entries and bytes live in Redis and are not counted here. */
  stats() {
    return { entries: 0, bytes: 0, maxBytes: 0, hits: this.#hits, misses: this.#misses };
  }
}
