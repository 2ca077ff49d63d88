// The HTTP port of a queue worker process (npm run worker), which has no API: on METRICS_PORT,
// bound to HOST like the API,
//   GET /health/alive  the event loop answers, and the OCR threads finish pages while they have
//                      work (STALL_TIMEOUT); 503 otherwise (liveness probe: restart the process)
//   GET /health/ready  models loaded, Redis reachable, taking jobs and not draining; 503 with the
//                      reason otherwise (readiness probe, rolling updates)
//   GET /metrics       Prometheus text, when METRICS_ENABLED
// with the API's bodies (src/routes/health/probes.ts); anything else 404. It listens before the
// models load, so a startup probe sees the process come up and readiness waits for the models.
import http from 'node:http';

import type { OcrMetrics } from './metrics/ocr-metrics.js';
import { type ProbeAnswer, liveness, notReady, ready } from './routes/health/probes.js';

export interface WorkerState {
  pool: { stalledMs(): number; info: unknown };
  /** Resolves true when Redis answers a PING in time. */
  redisReachable(): Promise<boolean>;
  /** The queue worker is taking jobs (created, not paused or closed). */
  takingJobs(): boolean;
  /** SIGTERM received: finishing running jobs, taking no new ones. */
  draining(): boolean;
}

export interface WorkerHttpOptions {
  host: string;
  port: number;
  stallTimeout: number;
  metrics?: OcrMetrics;
  /** Absent until the queue worker is started (models still loading). */
  state: () => WorkerState | undefined;
}

async function readiness(s: WorkerState | undefined): Promise<ProbeAnswer> {
  if (!s || !s.pool.info) return notReady('models are not loaded');
  if (s.draining()) return notReady('draining: finishing running jobs, taking no new ones');
  if (!(await s.redisReachable())) return notReady('Redis is unreachable');
  if (!s.takingJobs()) return notReady('not taking jobs from the queue');
  return ready();
}

const json = (res: http.ServerResponse, code: number, body: object) =>
  res
    .writeHead(code, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));

export function serveWorkerHttp(o: WorkerHttpOptions): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && url === '/health/alive') {
      const a = liveness(o.state()?.pool, o.stallTimeout);
      json(res, a.code, a.body);
    } else if (req.method === 'GET' && url === '/health/ready') {
      readiness(o.state()).then(
        (a) => json(res, a.code, a.body),
        (err: Error) => json(res, 503, { status: 'not ready', message: err.message }),
      );
    } else if (req.method === 'GET' && url === '/metrics' && o.metrics) {
      o.metrics.text().then(
        (body) => res.writeHead(200, { 'content-type': o.metrics!.contentType, 'cache-control': 'no-store' }).end(body),
        (err: Error) => json(res, 500, { error: 'Internal Server Error', message: err.message }),
      );
    } else {
      json(res, 404, {
        error: 'Not Found',
        message: `Served here: GET /health/alive, /health/ready${o.metrics ? ', /metrics' : ''}`,
      });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}
