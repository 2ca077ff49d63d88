// Entry point: read the configuration, listen, close gracefully on SIGTERM/SIGINT.
import os from 'node:os';

import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { exitAfterLogs } from './exit.js';
import { backendMode } from './jobs/backend.js';
import { shutdownBudget } from './jobs/shutdown.js';

/** How long, after the jobs running at a shutdown finished, their results stay fetchable. */
const RESULT_LINGER_MS = 5000;

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

let app: Awaited<ReturnType<typeof buildApp>>;
try {
  app = await buildApp(config);
} catch (err) {
  // Before the app exists there is no pino logger: one JSON line in the same shape.
  const line = {
    level: 60,
    time: Date.now(),
    msg: 'could not start the service',
    err: { message: (err as Error).message },
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
  process.exit(1);
}

/** Jobs run in this process (its store, its threads); an API replica of Redis mode runs none. */
const { runsJobs } = backendMode(config);
let closing = false;
let firstSignalAt = 0;
// One Ctrl-C reaches node twice when it runs under `npm start`: the terminal signals the whole
// process group and npm forwards what it gets to its child (tini -g in the image does the same
// with SIGTERM). Signals this close to the first are that one signal, not a user insisting.
const SAME_SIGNAL_MS = 1000;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (closing) {
    if (performance.now() - firstSignalAt < SAME_SIGNAL_MS) return;
    // A second Ctrl-C (or SIGTERM) means now: 128 + the signal's number, as a shell reports it.
    app.log.warn({ signal }, 'second signal during shutdown: exiting at once, running jobs are lost');
    exitAfterLogs(app.log, 128 + (os.constants.signals[signal] ?? 15));
    return;
  }
  closing = true;
  firstSignalAt = performance.now();
  app.log.info(
    { signal, grace_s: config.shutdownGrace },
    'shutting down: no new submissions (503), finishing running jobs; polling still answered',
  );
  // Running jobs are aborted and failed before the grace ends (jobs plugin). What may remain is an
  // OCR thread finishing the native call of a page it was told to drop: process.exit() would wait
  // for it (seconds), so the process ends at once instead, with the grace met and logs written.
  const end = (code: number) => (runsJobs ? exitAfterLogs(app.log, code) : process.exit(code));
  const deadline = setTimeout(() => {
    app.log.warn('threads still stopping at the end of SHUTDOWN_GRACE; exiting');
    end(0);
  }, config.shutdownGrace * 1000);
  try {
    // The listener stays open while jobs finish: clients polling them get their answers; new
    // submissions get 503 + Retry-After and /health/ready fails (src/app.ts, the queue's stats).
    app.draining = true;
    const started = Date.now();
    const running = runsJobs
      ? await app.jobs.stats().then(
          (st) => st.processing + st.queued,
          () => 0,
        )
      : 0;
    await app.drainJobs();
    if (running > 0) {
      // Jobs finished during the grace: clients polling them need a moment to fetch the results
      // (the store lives in this process) before the listener closes, within the grace.
      const left = config.shutdownGrace * 1000 - (Date.now() - started) - shutdownBudget(config.shutdownGrace).restMs;
      const linger = Math.min(RESULT_LINGER_MS, left);
      if (linger > 0) {
        app.log.info({ linger_ms: linger }, 'jobs finished; results still answered for a moment before closing');
        await new Promise((r) => setTimeout(r, linger));
      }
    }
    await app.close();
    clearTimeout(deadline);
    end(0);
  } catch (err) {
    app.log.error({ err }, 'error while shutting down');
    end(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  await app.listen({ host: config.host, port: config.port });
} catch (err) {
  app.log.error({ err }, 'could not start the server');
  process.exit(1);
}
