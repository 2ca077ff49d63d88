// HTTP-level limits of the Fastify app (README, "Security"): slow clients are cut off, request ids
// are bounded, query strings are strict, and router errors answer the usual { error, message }.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

import type { Config } from './config.js';
import { ApiError, codeOfStatus, labelOf } from './errors.js';

/** A client's X-Request-Id is kept when it is 1-128 printable ASCII characters (no spaces); else one is generated. */
export const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Server options: the whole request must arrive within REQUEST_TIMEOUT and its headers within
 * HEADERS_TIMEOUT (Node checks both every second here, not every 30 s), so a slowloris upload
 * holds a connection for a bounded time.
 */
export function serverOptions(config: Config): Pick<
  FastifyServerOptions,
  'requestTimeout' | 'frameworkErrors' | 'genReqId' | 'requestIdHeader'
> & {
  http: Record<string, number>;
} {
  return {
    requestTimeout: config.requestTimeout * 1000,
    http: {
      requestTimeout: config.requestTimeout * 1000,
      headersTimeout: config.headersTimeout * 1000,
      connectionsCheckingInterval: 1000,
    },
    requestIdHeader: false,
    genReqId: requestId,
    // Bad URL encoding (400) and a path parameter over maxParamLength (414): the usual error body.
    frameworkErrors: (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = err.statusCode ?? 400;
      const message =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long (at most 100 characters)' : err.message;
      void reply.code(status).send({ error: labelOf(status), message, code: codeOfStatus(status) });
    },
  };
}

/**
 * Query strings are strict: `name[]=` forms and repeated names are refused (they were silently
 * ignored), and integer parameters must be plain decimal (`0x12c` is not 300).
 */
export async function strictQuery(request: FastifyRequest): Promise<void> {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query) return;
  const schema = request.routeOptions.schema?.querystring as
    { properties?: Record<string, { type?: string }> } | undefined;
  for (const [name, value] of Object.entries(query)) {
    if (/[[\]]/.test(name))
      throw new ApiError(
        'bad_request',
        `Query parameter '${name}' is not supported (send ${name.replace(/\[.*$/, '')}=value)`,
      );
    if (Array.isArray(value)) throw new ApiError('bad_request', `Query parameter '${name}' is given more than once`);
    if (schema?.properties?.[name]?.type === 'integer' && !/^[0-9]{1,9}$/.test(String(value))) {
      throw new ApiError(
        'bad_request',
        `Query parameter '${name}' must be a decimal integer (received ${JSON.stringify(String(value).slice(0, 40))})`,
      );
    }
  }
}

/** Fastify's 415 for a body that is not multipart (no parser for it) is a 400 on this API. */
export function notMultipart(err: FastifyError): ApiError | undefined {
  if (err.code !== 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return undefined;
  return new ApiError(
    'bad_request',
    'The request body is not multipart/form-data: send the file as a multipart form field',
  );
}
