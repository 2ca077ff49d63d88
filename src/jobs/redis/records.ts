// Job records in Redis: one hash per job, written by the API at submission and by whichever
// worker runs the job, readable from every replica. A finished record is written once (a job
// retried after a crash cannot produce a second result) and lives RESULT_TTL seconds.
import type { Redis } from 'ioredis';

import type { JobOutput, JobRecord, JobStatus, PageText } from '../types.js';
import type { Keys } from './connection.js';

/** How long an unfinished record (and its upload) may wait for a worker. */
export const PENDING_TTL_SECONDS = 24 * 3600;

type Meta = Pick<JobRecord, 'id' | 'kind' | 'filename' | 'fileSize' | 'dpi' | 'createdAt' | 'cached' | 'owner'> & {
  callbackUrl?: string;
};

// KEYS[1] record; ARGV: status, field, value, finishedAt, ttl. Returns 1 when written.
const FINISH = `
local s = redis.call('HGET', KEYS[1], 'status')
if (not s) or s == 'completed' or s == 'failed' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], ARGV[2], ARGV[3], 'finishedAt', ARGV[4])
local fields = redis.call('HKEYS', KEYS[1])
for _, f in ipairs(fields) do
  if string.sub(f, 1, 8) == 'partial:' then redis.call('HDEL', KEYS[1], f) end
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
`;

// KEYS[1] record; ARGV: field, value. Writes only into a record that exists (a deleted job's
// worker must not bring its hash back); returns 0 when the record is gone: the job was deleted.
const SET_IF_EXISTS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`;

export class RedisJobRecords {
  constructor(
    readonly redis: Redis,
    readonly keys: Keys,
    readonly resultTtlSeconds: number,
  ) {}

  async create(r: JobRecord, callbackUrl?: string, cacheKey?: string): Promise<void> {
    const meta: Meta = {
      id: r.id,
      kind: r.kind,
      filename: r.filename,
      fileSize: r.fileSize,
      dpi: r.dpi,
      createdAt: r.createdAt,
      cached: r.cached,
      owner: r.owner,
      callbackUrl,
    };
    const fields: Record<string, string> = {
      meta: JSON.stringify(meta),
      status: r.status,
      progress: JSON.stringify(r.progress),
    };
    if (r.startedAt !== undefined) fields.startedAt = String(r.startedAt);
    if (r.finishedAt !== undefined) fields.finishedAt = String(r.finishedAt);
    if (r.output) fields.output = JSON.stringify(r.output);
    if (r.error) fields.error = JSON.stringify(r.error);
    if (cacheKey) fields.cacheKey = cacheKey; // DELETE removes the cached result too
    const ttl = r.status === 'completed' || r.status === 'failed' ? this.resultTtlSeconds : PENDING_TTL_SECONDS;
    await this.redis.multi().hset(this.keys.job(r.id), fields).expire(this.keys.job(r.id), ttl).exec();
  }

  async get(id: string): Promise<(JobRecord & { callbackUrl?: string }) | undefined> {
    const h = await this.redis.hgetall(this.keys.job(id));
    if (!h.meta) return undefined;
    const { callbackUrl, ...meta } = JSON.parse(h.meta) as Meta;
    const r: JobRecord & { callbackUrl?: string } = {
      ...meta,
      status: h.status as JobStatus,
      progress: JSON.parse(h.progress ?? '{"pages_done":0,"total_pages":0}') as JobRecord['progress'],
    };
    if (callbackUrl) r.callbackUrl = callbackUrl;
    if (h.startedAt) r.startedAt = Number(h.startedAt);
    if (h.finishedAt) r.finishedAt = Number(h.finishedAt);
    if (h.output) r.output = JSON.parse(h.output) as JobOutput;
    if (h.error) r.error = JSON.parse(h.error) as JobRecord['error'];
    const partial = Object.keys(h)
      .filter((k) => k.startsWith('partial:'))
      .map((k) => JSON.parse(h[k]) as PageText)
      .sort((a, b) => a.page - b.page);
    if (partial.length && !r.output) r.partial = partial;
    return r;
  }

  /** Marks a (re)started attempt; false when the record is gone or already finished. */
  async start(id: string): Promise<boolean> {
    const key = this.keys.job(id);
    const status = await this.redis.hget(key, 'status');
    if (!status || status === 'completed' || status === 'failed') return false;
    await this.redis.hset(key, { status: 'processing', startedAt: String(Date.now()) });
    return true;
  }

  /** Writes the progress; false when the job was deleted. */
  async progress(id: string, done: number, total: number): Promise<boolean> {
    return (
      (await this.redis.eval(
        SET_IF_EXISTS,
        1,
        this.keys.job(id),
        'progress',
        JSON.stringify({ pages_done: done, total_pages: total }),
      )) === 1
    );
  }

  async partialPage(id: string, page: PageText): Promise<boolean> {
    return (
      (await this.redis.eval(SET_IF_EXISTS, 1, this.keys.job(id), `partial:${page.page}`, JSON.stringify(page))) === 1
    );
  }

  /** Removes a job's record; returns its result-cache key, or null when there was no record. */
  async remove(id: string): Promise<string | null | undefined> {
    const key = this.keys.job(id);
    const [[, exists], [, cacheKey]] = (await this.redis.multi().exists(key).hget(key, 'cacheKey').del(key).exec()) as [
      unknown,
      unknown,
    ][];
    return exists === 1 ? ((cacheKey as string | null) ?? undefined) : null;
  }

  /** Writes the result once; false when another attempt already finished the job. */
  async complete(id: string, output: JobOutput, progress: JobRecord['progress']): Promise<boolean> {
    await this.redis.hset(this.keys.job(id), 'progress', JSON.stringify(progress));
    return this.#finish(id, 'completed', 'output', JSON.stringify(output));
  }

  async fail(id: string, error: NonNullable<JobRecord['error']>): Promise<boolean> {
    return this.#finish(id, 'failed', 'error', JSON.stringify(error));
  }

  async #finish(id: string, status: JobStatus, field: string, value: string): Promise<boolean> {
    const n = await this.redis.eval(
      FINISH,
      1,
      this.keys.job(id),
      status,
      field,
      value,
      String(Date.now()),
      String(this.resultTtlSeconds),
    );
    return n === 1;
  }
}
