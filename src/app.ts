// The root plugin: registers the shared services, the routes and the one error handler.
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';

import type { Config } from './config.js';
import { ApiError, codeOfStatus, labelOf } from './errors.js';
import { methodIndex, validationMessage } from './http-errors.js';
import { notMultipart, serverOptions, strictQuery } from './http-limits.js';
import { createBackend } from './jobs/backend.js';
import { enforceUploadRate } from './upload-rate.js';
import apiKeysPlugin, { REDACTED_HEADERS, securitySchemes } from './plugins/api-keys.js';
import jobsPlugin from './plugins/jobs.js';
import metricsPlugin from './plugins/metrics.js';
import ocrPoolPlugin from './plugins/ocr-pool.js';
import rateLimitPlugin, { RateLimitError } from './plugins/rate-limit.js';
import redisPlugin from './plugins/redis.js';
import resultCachePlugin from './plugins/result-cache.js';
import healthRoutes from './routes/health/index.js';
import batchRoutes from './routes/ocr/batch.js';
import imageRoutes from './routes/ocr/image.js';
import jobRoutes from './routes/ocr/job.js';
import pageImageRoutes from './routes/ocr/page-image.js';
import pdfRoutes from './routes/ocr/pdf.js';
import languageRoutes from './routes/languages.js';
import webRoutes from './routes/web.js';
import { ErrorBody } from './schemas/common.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set on the first SIGTERM/SIGINT: submissions answer 503, polling still works. */
    draining: boolean;
  }
}

export interface BuildOptions {
  /** Overrides the pino logger options (tests pass { level: 'silent' }). */
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // API keys never reach the log, whatever serializers a deployment adds.
    logger: withRedaction(options.logger ?? { level: config.logLevel }),
    // Fastify 5 ignores a numeric trustProxy (it fails closed), so a hop count (TRUST_PROXY=1
    // behind one nginx) becomes a function trusting that many hops from the socket inwards.
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_addr: string, i: number) =>
              i < hops
          )(config.trustProxy)
        : config.trustProxy,
    bodyLimit: config.maxContentLength,
    ...serverOptions(config),
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, useDefaults: true } },
  });

  enforceUploadRate(app.server, config.minUploadRate, (u) =>
    app.log.warn(
      { ...u, rate: Math.round(u.rate), min_upload_rate: config.minUploadRate },
      'upload slower than MIN_UPLOAD_RATE: answered 408, connection closed',
    ),
  );

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const length = Number(request.headers['content-length']);
    if (length > config.maxContentLength) {
      throw new ApiError(
        'payload_too_large',
        `The request is ${length} bytes; the limit is ${config.maxContentLength} (MAX_CONTENT_LENGTH)`,
      );
    }
  });

  app.addHook('preValidation', strictQuery);
  const methodsOf = methodIndex(app);

  // SIGTERM/SIGINT (src/server.ts): new submissions are refused while running jobs finish; the
  // status and result routes keep answering until the grace ends.
  app.decorate('draining', false);
  app.addHook('onRequest', async (request) => {
    if (app.draining && request.method === 'POST') {
      const err = new ApiError(
        'shutting_down',
        'The service is shutting down and takes no new submissions; retry shortly (another replica may take it)',
      );
      err.retryAfter = Math.max(1, config.shutdownGrace);
      throw err;
    }
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    err = notMultipart(err) ?? err;
    if (err instanceof RateLimitError) {
      return reply.code(429).send(err.body());
    }
    if (err instanceof ApiError) {
      request.log.info({ code: err.code, filename: err.filename }, err.message);
      if (err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
      return reply.code(err.statusCode).send(err.body());
    }
    if (err.validation) {
      const message = validationMessage(err.validation as never, err.validationContext, request);
      return reply.code(400).send({ error: labelOf(400), message, code: 'invalid_parameter' });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      request.log.info({ err }, 'client error');
      return reply.code(status).send({ error: labelOf(status), message: err.message, code: codeOfStatus(status) });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({
      error: labelOf(500),
      message: 'An unexpected error occurred; see the server logs with this request id',
      code: 'internal',
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const allowed = methodsOf(request.url);
    if (allowed.length) {
      const path = request.url.split('?')[0];
      const message = `${request.method} is not allowed on ${path}; it answers ${allowed.join(', ')}`;
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send({ error: labelOf(405), message, code: 'method_not_allowed' });
    }
    return reply
      .code(404)
      .send({ error: labelOf(404), message: `Route ${request.method} ${request.url} not found`, code: 'not_found' });
  });

  app.addSchema(ErrorBody);
  // Helmet's strict CSP, less upgrade-insecure-requests: the web page at / must load its own
  // scripts when the service is reached over plain http (an internal host name, not localhost).
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  await app.register(multipart, {
    limits: {
      fileSize: config.maxContentLength,
      files: config.maxBatchFiles,
      fields: 20,
      fieldSize: 64 * 1024,
      parts: config.maxBatchFiles + 20,
    },
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'OCR service',
        description: 'Self-hosted OCR REST API (PaddleOCR models on ONNX Runtime)',
        version: '1',
      },
      tags: [{ name: 'ocr' }, { name: 'jobs' }, { name: 'health' }],
      components: { securitySchemes },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  await app.register(metricsPlugin, { config });
  await app.register(apiKeysPlugin, { config });
  // Memory or Redis is decided once, here: the plugins below wrap what it made.
  const backend = createBackend(config, { log: app.log, metrics: app.metrics ?? undefined });
  await app.register(redisPlugin, { backend });
  await app.register(ocrPoolPlugin, { config, backend });
  await app.register(resultCachePlugin, { backend });
  await app.register(jobsPlugin, { backend });
  await app.register(rateLimitPlugin, { config, backend });

  await app.register(healthRoutes, { config });
  await app.register(imageRoutes, { config });
  await app.register(pdfRoutes, { config });
  await app.register(batchRoutes, { config });
  await app.register(jobRoutes, { config });
  await app.register(pageImageRoutes, { config });
  await app.register(languageRoutes, { config });
  await app.register(webRoutes);
  return app;
}

function withRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger || typeof logger !== 'object') return logger;
  return { ...logger, redact: { paths: REDACTED_HEADERS, censor: '[redacted]' } } as FastifyServerOptions['logger'];
}
