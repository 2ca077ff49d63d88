// MIN_UPLOAD_RATE (README, "Security"): a request whose body arrives slower than the floor,
// averaged over WINDOW_MS once GRACE_MS have passed, is answered 408 and its connection closed.
// REQUEST_TIMEOUT alone would hold such a connection (and its request slot) for five minutes,
// and lowering it would cut honest large uploads on slow links. One timer checks every upload in
// flight once a second from the socket's byte count; the body stream itself is not touched, so
// Fastify and the multipart parser read it as before.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export const GRACE_MS = 10_000;
export const WINDOW_MS = 20_000;
const TICK_MS = 1000;

interface Upload {
  req: IncomingMessage;
  res: ServerResponse;
  start: number;
  startBytes: number;
  /** [time, socket bytes read] once a tick, WINDOW_MS of them at most. */
  samples: [number, number][];
}

export interface SlowUpload {
  ip: string | undefined;
  method: string | undefined;
  url: string | undefined;
  bytes: number;
  seconds: number;
  rate: number;
}

const hasBody = (req: IncomingMessage) =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/** The floor's bytes/s over the last WINDOW_MS (or since the request began), or undefined in the grace. */
export function windowRate(u: Pick<Upload, 'start' | 'samples'>, now: number, bytes: number): number | undefined {
  if (now - u.start < GRACE_MS) return undefined;
  const from = u.samples.find(([t]) => t >= now - WINDOW_MS) ?? u.samples[u.samples.length - 1];
  const seconds = (now - from[0]) / 1000;
  return seconds > 0 ? (bytes - from[1]) / seconds : undefined;
}

export function enforceUploadRate(server: Server, minRate: number, onSlow: (u: SlowUpload) => void): void {
  if (!(minRate > 0)) return;
  const uploads = new Set<Upload>();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = Date.now();
    for (const u of uploads) {
      const { req, res } = u;
      // Body in (or the answer already started, e.g. 413 at once): nothing left to police.
      if (req.complete || res.headersSent || req.socket.destroyed) {
        uploads.delete(u);
        continue;
      }
      const bytes = req.socket.bytesRead;
      const rate = windowRate(u, now, bytes);
      u.samples.push([now, bytes]);
      while (u.samples.length > 1 && u.samples[0][0] < now - WINDOW_MS) u.samples.shift();
      if (rate === undefined || rate >= minRate) continue;
      uploads.delete(u);
      onSlow({
        ip: req.socket.remoteAddress,
        method: req.method,
        url: req.url,
        bytes: bytes - u.startBytes,
        seconds: (now - u.start) / 1000,
        rate,
      });
      const body = JSON.stringify({
        error: 'Request Timeout',
        code: 'timeout',
        message:
          `The request body arrived at ${Math.round(rate)} bytes/s over the last ${WINDOW_MS / 1000} ` +
          `s, under MIN_UPLOAD_RATE (${minRate} bytes/s): connection closed`,
      });
      res.shouldKeepAlive = false;
      res.writeHead(408, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      });
      res.end(body, () => req.socket.destroy());
      // A client that does not read its answer either: the socket goes regardless.
      setTimeout(() => req.socket.destroy(), 2000).unref();
    }
    if (!uploads.size) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!hasBody(req)) return;
    const now = Date.now();
    uploads.add({ req, res, start: now, startBytes: req.socket.bytesRead, samples: [[now, req.socket.bytesRead]] });
    timer ??= setInterval(tick, TICK_MS).unref();
  });
}
