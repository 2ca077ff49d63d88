// Rate limit of the submission routes: RATE_LIMIT_PER_MINUTE per client IP (0 disables), one
// counter shared by all submission routes. Health and job polling are not limited.
// The client IP is X-Forwarded-For's only when TRUST_PROXY is set (Fastify's trustProxy).
// With API keys on, the counter is per key (its digest) instead of per IP.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';

import type { Config } from '../config.js';
import type { Backend } from '../jobs/backend.js';

export class RateLimitError extends Error {
  readonly statusCode = 429;
  readonly retryAfter: number;
  readonly limit: number;
  constructor(limit: number, retryAfter: number) {
    super(`Too many requests. Limit: ${limit} per minute (RATE_LIMIT_PER_MINUTE)`);
    this.name = 'RateLimitError';
    this.limit = limit;
    this.retryAfter = retryAfter;
  }
  body() {
    return {
      error: 'Rate limit exceeded' as const,
      message: this.message,
      code: 'rate_limited' as const,
      retry_after: this.retryAfter,
      remaining: 0 as const,
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook for submission routes. */
    submissionRateLimit: onRequestHookHandler;
  }
}

const keyGenerator = (request: FastifyRequest) => (request.apiKeyId ? `key:${request.apiKeyId}` : request.ip);

export default fp(
  async function rateLimitPlugin(app: FastifyInstance, opts: { config: Config; backend: Backend }) {
    const max = opts.config.rateLimitPerMinute;
    if (max === 0) {
      app.decorate('submissionRateLimit', async () => {});
      return;
    }
    await app.register(rateLimit, {
      global: false,
      max,
      timeWindow: 60_000,
      addHeaders: {
        'x-ratelimit-limit': true,
        'x-ratelimit-remaining': true,
        'x-ratelimit-reset': true,
        'retry-after': true,
      },
      addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true },
      // Redis mode: one counter per client across replicas (src/jobs/backend.ts).
      ...opts.backend.rateLimitStore,
      keyGenerator,
      errorResponseBuilder: (_req, ctx) => new RateLimitError(max, Math.max(1, Math.ceil(ctx.ttl / 1000))),
    });
    app.decorate(
      'submissionRateLimit',
      app.rateLimit({ max, timeWindow: 60_000, keyGenerator }) as onRequestHookHandler,
    );
  },
  { name: 'rate-limit', fastify: '5.x', dependencies: ['redis'] },
);
