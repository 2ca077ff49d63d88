// Result cache: key = sha256(file bytes) + everything that changes the output. The in-memory LRU is
// bounded by bytes (JSON size of the result) and entries expire after a TTL.
import { createHash } from 'node:crypto';

import type { JobOutput } from './types.js';

export interface ResultCache {
  get(key: string): Promise<JobOutput | undefined>;
  set(key: string, value: JobOutput): Promise<void>;
  delete(key: string): Promise<void>;
  stats(): { entries: number; bytes: number; maxBytes: number; hits: number; misses: number };
}

export function cacheKey(
  bytes: Uint8Array,
  parts: {
    kind: string;
    dpi?: number;
    modelSet: string;
    lang: string;
    /** PDF page selection, "1,2,7" */
    pages?: string;
    /** 'off': pages read as submitted, not turned upright. */
    orientation?: string;
    /** PDFs: the `pdf_text` mode. */
    pdfText?: string;
  },
): string {
  const hash = createHash('sha256').update(bytes).digest('hex');
  const key = [hash, parts.kind, parts.dpi ?? '-', parts.modelSet, parts.lang].join(':');
  const paged = parts.pages ? `${key}:p${parts.pages}` : key;
  const turned = parts.orientation ? `${paged}:o${parts.orientation}` : paged;
  return parts.pdfText ? `${turned}:t${parts.pdfText}` : turned;
}

interface Entry {
  /**
   * The output as JSON bytes: CACHE_MAX_BYTES is then what the cache really holds, off the JS heap (a quarter of the
   * same output as objects).
   */
  value: Buffer;
  size: number;
  expires: number;
}

export class MemoryResultCache implements ResultCache {
  readonly #map = new Map<string, Entry>();
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(opts: { maxBytes: number; ttlSeconds: number }) {
    this.#maxBytes = opts.maxBytes;
    this.#ttlMs = opts.ttlSeconds * 1000;
  }

  async get(key: string): Promise<JobOutput | undefined> {
    const e = this.#map.get(key);
    if (!e || e.expires <= Date.now()) {
      if (e) this.#delete(key, e);
      this.#misses++;
      return undefined;
    }
    this.#map.delete(key); // most recently used goes last
    this.#map.set(key, e);
    this.#hits++;
    return JSON.parse(e.value.toString('utf8')) as JobOutput;
  }

  async set(key: string, value: JobOutput): Promise<void> {
    if (this.#ttlMs <= 0 || this.#maxBytes <= 0) return;
    const json = Buffer.from(JSON.stringify(value));
    const size = json.length + key.length;
    if (size > this.#maxBytes) return;
    const old = this.#map.get(key);
    if (old) this.#delete(key, old);
    this.#map.set(key, { value: json, size, expires: Date.now() + this.#ttlMs });
    this.#bytes += size;
    for (const [k, e] of this.#map) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#delete(k, e);
    }
  }

  async delete(key: string): Promise<void> {
    const e = this.#map.get(key);
    if (e) this.#delete(key, e);
  }

  stats() {
    return {
      entries: this.#map.size,
      bytes: this.#bytes,
      maxBytes: this.#maxBytes,
      hits: this.#hits,
      misses: this.#misses,
    };
  }

  #delete(key: string, e: Entry): void {
    this.#map.delete(key);
    this.#bytes -= e.size;
  }
}
