// The metrics endpoint of a worker process (npm run worker), which has no HTTP API: GET /metrics
// on METRICS_PORT, anything else 404. Bound to HOST like the API.
import http from 'node:http';

import type { OcrMetrics } from './ocr-metrics.js';

export function serveMetrics(metrics: OcrMetrics, host: string, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Not Found', message: 'Only GET /metrics is served here' }));
      return;
    }
    metrics.text().then(
      (body) => res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(body),
      (err: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Internal Server Error', message: err.message })),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
