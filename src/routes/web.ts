// The web page at / (public/: plain HTML, CSS and JS, no build step). Same origin as the API, so
// helmet's strict CSP holds: no inline script or style, fetches to 'self' only.
import { fileURLToPath } from 'node:url';

import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const PUBLIC_DIR = fileURLToPath(new URL('../../../public/', import.meta.url));

export default async function webRoutes(app: FastifyInstance) {
  // Encapsulated (not fastify-plugin): its reply decorators do not meet swagger-ui's own copy.
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/',
    wildcard: false,
    index: 'index.html',
    maxAge: 0,
    schemaHide: true,
  });
}
