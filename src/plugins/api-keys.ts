// Optional API keys (API_KEYS / API_KEYS_FILE). When any is configured, every /ocr/* route (and
// /health*, /metrics unless API_KEYS_OPEN keeps them open) needs `Authorization: Bearer <key>` or
// `X-API-Key: <key>`; otherwise 401 { error, message }. Keys are compared as sha256 digests in
// constant time against every configured key; the request then carries the digest (apiKeyId),
// which owns the jobs it submits, names its rate-limit counter, and is all a job record keeps.
import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

import type { Config } from '../config.js';
import type { JobRecord } from '../jobs/types.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** sha256 (hex) of the accepted API key; undefined when keys are off. */
    apiKeyId: string | undefined;
  }
  interface FastifyInstance {
    apiKeysEnabled: boolean;
    /** Whether this request may see the job: always with keys off, else only the submitting key. */
    canReadJob(request: FastifyRequest, job: Pick<JobRecord, 'owner'>): boolean;
  }
}

/**
 * Header paths pino must never write (the logger's `redact`): request logs, and objects that carry
 * the headers one level down (@fastify/multipart logs its busboy options, headers included, at trace).
 */
export const REDACTED_HEADERS = [
  'headers.authorization',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
];

/** OpenAPI security schemes (components.securitySchemes). */
export const securitySchemes = {
  bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
  apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
} as const;

const digest = (key: string) => createHash('sha256').update(key).digest();

/** The key the request presents, if any. */
function presented(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1];
  }
  const x = request.headers['x-api-key'];
  return typeof x === 'string' && x.trim() ? x.trim() : undefined;
}

export default fp(
  async function apiKeysPlugin(app: FastifyInstance, opts: { config: Config }) {
    const { apiKeyHashes, apiKeysOpen } = opts.config;
    const keys = apiKeyHashes.map((h) => Buffer.from(h, 'hex'));
    const enabled = keys.length > 0;
    app.decorateRequest('apiKeyId', undefined);
    app.decorate('apiKeysEnabled', enabled);
    app.decorate(
      'canReadJob',
      (request: FastifyRequest, job: Pick<JobRecord, 'owner'>) => !enabled || job.owner === request.apiKeyId,
    );
    if (!enabled) return;

    const guarded = (url: string) =>
      url.startsWith('/ocr/') ||
      (url === '/metrics' && !apiKeysOpen.metrics) ||
      (url.startsWith('/health') && !apiKeysOpen.health);

    // Declared per route in the OpenAPI document (routes are registered after this plugin).
    app.addHook('onRoute', (route) => {
      if (typeof route.url !== 'string' || !guarded(route.url) || !route.schema) return;
      route.schema = { ...route.schema, security: [{ bearerAuth: [] }, { apiKeyHeader: [] }] } as typeof route.schema;
    });

    app.addHook('onRequest', async (request, reply) => {
      const url = request.routeOptions.url;
      if (!url || !guarded(url)) return;
      const key = presented(request);
      if (key === undefined) {
        reply.header('www-authenticate', 'Bearer');
        return reply.code(401).send({
          error: 'Unauthorized',
          message: 'An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>',
          code: 'unauthorized',
        });
      }
      const d = digest(key);
      // Every configured key is compared, whatever matched before: the time does not tell which.
      let match: Buffer | undefined;
      for (const k of keys) if (timingSafeEqual(d, k) && !match) match = k;
      if (!match) {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        return reply
          .code(401)
          .send({ error: 'Unauthorized', message: 'The API key is not valid', code: 'unauthorized' });
      }
      request.apiKeyId = match.toString('hex');
    });
  },
  { name: 'api-keys', fastify: '5.x' },
);
