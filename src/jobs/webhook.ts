// Webhooks: when a job with a callback_url finishes, its status body is POSTed there, signed with
// HMAC-SHA256 of the exact body bytes (X-Signature: sha256=<hex>, key WEBHOOK_SECRET), and retried
// with exponential backoff on a network error or a non-2xx answer. Targets must be http(s) and, unless
// WEBHOOK_ALLOW_PRIVATE, must not resolve to loopback, private, link-local or other internal ranges
// (checked at submission and again before every attempt, against DNS rebinding).
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

import { ApiError } from '../errors.js';
import { addressProblem, guardedLookup, isPrivateAddress } from './address-policy.js';
import type { JobRecord } from './types.js';

export interface WebhookOptions {
  secret: string;
  allowPrivate: boolean;
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
  log?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export { isPrivateAddress } from './address-policy.js';

/** Bytes of a receiver's answer read at most; the rest is never read (the connection is closed). */
export const ANSWER_MAX_BYTES = 4096;

/** Throws ApiError 400 unless `raw` is an acceptable callback URL; returns it normalized. */
export async function checkCallbackUrl(raw: string, allowPrivate: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ApiError('bad_request', 'callback_url is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ApiError('bad_request', 'callback_url must be an http or https URL');
  if (url.username || url.password) throw new ApiError('bad_request', 'callback_url must not carry credentials');
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    if (net.isIP(host)) addresses = [host];
    else {
      try {
        addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
      } catch {
        throw new ApiError('bad_request', `callback_url host ${host} does not resolve`);
      }
    }
    const bad = addresses.find(isPrivateAddress);
    if (host.toLowerCase() === 'localhost' || bad) {
      const why = bad ? ` (${bad}: ${addressProblem(bad)})` : '';
      throw new ApiError(
        'bad_request',
        `callback_url points at a loopback, private or reserved address${why} (set ` +
          `WEBHOOK_ALLOW_PRIVATE=true to allow)`,
      );
    }
  }
  return url.toString();
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The body of GET /ocr/job/:id for a finished job, plus the error of a failed one. */
export function webhookBody(r: JobRecord) {
  const failed = r.status === 'failed';
  return {
    job_id: r.id,
    status: r.status,
    ready: true,
    successful: !failed,
    failed,
    progress: r.progress,
    filename: r.filename,
    ...(failed && r.error ? { error: r.error } : {}),
  };
}

export class WebhookSender {
  readonly #o: WebhookOptions;
  readonly #inflight = new Set<Promise<void>>();
  readonly #stop = new AbortController();

  constructor(o: WebhookOptions) {
    this.#o = o;
  }

  /** Delivers in the background; never throws. */
  send(url: string, record: JobRecord): void {
    const p = this.#deliver(url, record).finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
  }

  async #deliver(url: string, record: JobRecord): Promise<void> {
    const body = JSON.stringify(webhookBody(record));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'ocr-service-webhook/1',
    };
    if (this.#o.secret) headers['x-signature'] = sign(body, this.#o.secret);
    for (let attempt = 1; attempt <= this.#o.attempts && !this.#stop.signal.aborted; attempt++) {
      let problem: string;
      try {
        await checkCallbackUrl(url, this.#o.allowPrivate);
        const status = await post(url, { ...headers, 'x-webhook-attempt': String(attempt) }, body, {
          timeoutMs: this.#o.timeoutMs,
          signal: this.#stop.signal,
          allowPrivate: this.#o.allowPrivate,
        });
        if (status >= 200 && status < 300) {
          this.#o.log?.info({ job_id: record.id, attempt, status }, 'webhook delivered');
          return;
        }
        problem = `HTTP ${status}`;
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      this.#o.log?.warn({ job_id: record.id, attempt, problem }, 'webhook attempt failed');
      if (attempt < this.#o.attempts) await sleep(this.#o.backoffMs * 2 ** (attempt - 1), this.#stop.signal);
    }
  }

  /** Waits up to graceMs for deliveries in progress, then abandons them. */
  async close(graceMs: number): Promise<void> {
    if (this.#inflight.size) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(this.#inflight), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }
    this.#stop.abort();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

/**
 * POSTs `body` and resolves with the answer's status. At most ANSWER_MAX_BYTES of the answer are
 * read; then the socket is destroyed, so a receiver answering gigabytes costs nothing. Redirects
 * are not followed. Unless `allowPrivate`, the connection goes only to a checked address.
 */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  o: { timeoutMs: number; signal: AbortSignal; allowPrivate: boolean },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const req = lib.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' },
      signal: AbortSignal.any([AbortSignal.timeout(o.timeoutMs), o.signal]),
      agent: false,
      ...(o.allowPrivate ? {} : { lookup: guardedLookup as never }),
    });
    req.once('error', reject);
    req.once('response', (res) => {
      let read = 0;
      const done = () => {
        res.removeAllListeners('data');
        res.destroy();
        req.destroy();
        resolve(res.statusCode ?? 0);
      };
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= ANSWER_MAX_BYTES) done();
      });
      res.once('end', done);
      res.once('error', done);
    });
    req.end(body);
  });
}
