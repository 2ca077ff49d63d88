// Where uploaded bytes wait for a worker in Redis mode. The API puts them with a TTL; the worker
// reads them (again, if it is retried after a crash) and, once the job is finished, shortens
// their life to RESULT_TTL (the `source` of a finished job) or drops them.
import type { Redis } from 'ioredis';

import type { Keys } from './redis/connection.js';

export interface BlobStore {
  put(id: string, bytes: Buffer, ttlSeconds: number): Promise<void>;
  get(id: string): Promise<Buffer | undefined>;
  expire(id: string, ttlSeconds: number): Promise<void>;
  delete(id: string): Promise<void>;
}

export class RedisBlobStore implements BlobStore {
  constructor(
    readonly redis: Redis,
    readonly keys: Keys,
  ) {}

  async put(id: string, bytes: Buffer, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.blob(id), bytes, 'EX', ttlSeconds);
  }

  async get(id: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(this.keys.blob(id))) ?? undefined;
  }

  async expire(id: string, ttlSeconds: number): Promise<void> {
    await this.redis.expire(this.keys.blob(id), ttlSeconds);
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.keys.blob(id));
  }
}
