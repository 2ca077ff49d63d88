// Worker entry point (`npm run worker`): takes OCR jobs from the Redis queue (REDIS_URL is
// required) into this process's Piscina pool; health probes and metrics on METRICS_PORT
// (src/worker-http.ts). SIGTERM/SIGINT: stop taking jobs, finish the running
// ones (up to SHUTDOWN_GRACE), exit.
import pino from 'pino';

import { type Config, ConfigError, loadConfig } from './config.js';
import { jobsAtOnce } from './jobs/process.js';
import { type WorkerRuntime, startWorkers } from './jobs/redis/runtime.js';
import { shutdownBudget } from './jobs/shutdown.js';
import { exitAfterLogs } from './exit.js';
import { OcrMetrics } from './metrics/ocr-metrics.js';
import { ThreadPool } from './pool/thread-pool.js';
import { serveWorkerHttp } from './worker-http.js';

let config: Config;
try {
  config = loadConfig();
  if (!config.redisUrl)
    throw new ConfigError('Invalid configuration: REDIS_URL is required by the worker (npm run worker)');
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

const log = pino({ level: config.logLevel, base: { role: 'worker', pid: process.pid } });
let pool: ThreadPool;
try {
  pool = new ThreadPool(config); // throws when OCR_LANG's model set is not installed
} catch (err) {
  log.error({ err }, 'could not load the OCR engine');
  process.exit(1);
}
// eslint-disable-next-line prefer-const -- the health server reads it before it is set (const: TDZ)
let runtime: WorkerRuntime | undefined;
let closing = false;

// The worker's HTTP port (METRICS_PORT): health probes, and its own metrics (jobs, pages, stage
// timings, pool). It listens before the models load: a startup probe sees the process, readiness
// waits for the models. A port already taken (two workers on one host with the same METRICS_PORT)
// costs the probes and metrics, not the worker.
const metrics =
  config.metricsEnabled && config.metricsPort
    ? new OcrMetrics({ pool: () => pool.stats() }, { role: 'worker' })
    : undefined;
const httpServer = config.metricsPort
  ? await serveWorkerHttp({
      host: config.host,
      port: config.metricsPort,
      stallTimeout: config.stallTimeout,
      metrics,
      state: () =>
        runtime && {
          pool,
          redisReachable: () => runtime!.redisReachable(),
          takingJobs: () => runtime!.worker.worker.isRunning() && !runtime!.worker.worker.isPaused(),
          draining: () => closing,
        },
    }).then(
      (server) => (
        log.info(
          { port: config.metricsPort },
          `health on /health/alive, /health/ready${metrics ? ', metrics on /metrics' : ''}`,
        ),
        server
      ),
      (err: Error) =>
        void log.error(
          { err, port: config.metricsPort },
          'health and metrics server could not listen; set METRICS_PORT per worker',
        ),
    )
  : undefined;

try {
  const info = await pool.start();
  log.info({ ...info, workers: config.workers, threadsPerWorker: config.threadsPerWorker }, 'OCR engine loaded');
} catch (err) {
  log.error({ err }, 'could not load the OCR engine');
  await pool.close();
  process.exit(1);
}

runtime = startWorkers(config, pool, log, metrics);
runtime.worker.worker.on('ready', () =>
  log.info({ prefix: config.redisPrefix, concurrency: jobsAtOnce(config.workers) }, 'taking jobs from Redis'),
);

async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  log.info({ signal, grace_s: config.shutdownGrace }, 'shutting down: no new jobs, finishing running ones');
  // Running jobs were handed back (their locks expire; another worker takes them) before the grace
  // ends; an OCR thread still finishing a dropped native call is not waited for (exitNow).
  const deadline = setTimeout(() => {
    log.warn('threads still stopping at the end of SHUTDOWN_GRACE; exiting');
    exitAfterLogs(log, 0);
  }, config.shutdownGrace * 1000);
  try {
    await runtime?.close(shutdownBudget(config.shutdownGrace).jobsMs);
    await pool.close(true);
    httpServer?.close();
    clearTimeout(deadline);
    log.info('worker stopped');
    exitAfterLogs(log, 0);
  } catch (err) {
    log.error({ err }, 'error while shutting down');
    exitAfterLogs(log, 1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
