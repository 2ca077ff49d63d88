// The second half of the settings (see settings.ts): time limits, jobs, the result cache, Redis
// mode, webhooks and operations.
import { bool, int, prose, str } from './define.js';

export const timeouts = {
  REQUEST_TIMEOUT: int(300, 1, 86_400, {
    key: 'requestTimeout',
    description: prose`seconds the whole HTTP request (headers and body) may take to arrive; then \`408\` and the
      connection is closed`,
  }),
  HEADERS_TIMEOUT: int(20, 1, 3600, {
    key: 'headersTimeout',
    description: 'seconds the request headers may take to arrive (at most `REQUEST_TIMEOUT`)',
  }),
  MIN_UPLOAD_RATE: int(1024, 0, 1_000_000_000, {
    key: 'minUploadRate',
    description: prose`bytes/s a request body must arrive at, averaged over the last 20 s once 10 s have passed;
      slower: \`408\` with the error body, the connection closed and a \`warn\` log line (\`0\`: no floor).
      \`REQUEST_TIMEOUT\` stays the bound of the whole request`,
  }),
};

export const jobs = {
  PAGE_TIMEOUT: int(120, 1, 86_400, {
    key: 'pageTimeout',
    description: prose`seconds one page's rendering, or its recognition, may run (waiting for a thread not
      counted); past it that page fails alone (\`failed_pages\`) and its thread is replaced`,
  }),
  STALL_TIMEOUT: int(300, 1, 86_400, {
    key: 'stallTimeout',
    description: prose`seconds the OCR threads may have pages to do without finishing one before
      \`/health/alive\` answers \`503\` (API and workers): a wedged pool, for the orchestrator to restart.
      Keep it above \`PAGE_TIMEOUT\``,
  }),
  JOB_TIMEOUT: int(0, 0, 7 * 86_400, {
    key: 'jobTimeout',
    description: prose`seconds a job may run in all, from its start (queue wait not counted); longer fails with a
      clear error. \`0\`: max(600, 20 × the larger of \`MAX_PDF_PAGES\`, \`MAX_TIFF_PAGES\`), 2000 with the
      defaults`,
  }),
  RESULT_TTL: int(3600, 1, undefined, {
    key: 'resultTtl',
    description: 'seconds a finished job and its result are kept',
    summary: 'seconds a finished job and its result are kept',
  }),
  QUEUE_MAX: int(100, 1, undefined, {
    key: 'queueMax',
    description: 'jobs waiting at most; one more is a 503 with `Retry-After`',
    summary: 'jobs waiting at most; one more is a 503 with `Retry-After`',
  }),
  SHUTDOWN_GRACE: int(30, 0, undefined, {
    key: 'shutdownGrace',
    description: prose`seconds running jobs get on SIGTERM/SIGINT; polls are answered meanwhile (see
      [Shutdown](operations.md#shutdown-sigterm-sigint))`,
  }),
};

export const cache = {
  REDIS_CACHE_TTL: int(3600, 0, undefined, {
    key: 'cacheTtl',
    description: 'seconds a cached result lives; `0` disables the cache',
  }),
  CACHE_MAX_BYTES: int(64 * 1024 * 1024, 0, undefined, {
    key: 'cacheMaxBytes',
    description: 'byte budget of the in-memory result cache (LRU)',
  }),
};

export const redis = {
  REDIS_URL: str('', {
    key: 'redisUrl',
    description: prose`Redis mode (see [Scale-out on Redis](scale-out.md)), \`redis://[:password@]host:port[/db]\`
      or \`rediss://...\`: BullMQ queue, job records, uploads, cache and rate limit in Redis; empty =
      embedded`,
    summary: 'scale out over Redis: BullMQ queue, shared jobs, cache and rate limit',
  }),
  REDIS_PREFIX: str(
    'ocr',
    {
      key: 'redisPrefix',
      description: prose`prefix of every Redis key (BullMQ queues, jobs, cache, blobs, rate limit); letters,
        digits and \`_.-\` only`,
    },
    { minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' },
  ),
  WORKER_IN_PROCESS: bool(true, {
    key: 'workerInProcess',
    description: prose`with \`REDIS_URL\`, the API process also runs queue workers; \`false\` for API-only
      replicas beside \`npm run worker\``,
  }),
  JOB_ATTEMPTS: int(3, 1, 100, {
    key: 'jobAttempts',
    description: 'Redis mode: tries of a job failing with an internal error',
  }),
  JOB_BACKOFF_MS: int(1000, 0, undefined, {
    key: 'jobBackoffMs',
    description: 'Redis mode: first retry delay of a job in ms (doubles each try)',
  }),
  JOB_LOCK_MS: int(30_000, 1000, undefined, {
    key: 'jobLockMs',
    description: 'Redis mode: lock of a running job in ms',
  }),
  JOB_STALLED_INTERVAL_MS: int(30_000, 500, undefined, {
    key: 'jobStalledIntervalMs',
    description: 'Redis mode: interval in ms of the check that re-queues the jobs of dead workers',
  }),
};

export const webhooks = {
  WEBHOOK_SECRET: str('', {
    key: 'webhookSecret',
    description: 'HMAC-SHA256 key of the webhook `X-Signature: sha256=<hex>` header; empty = unsigned',
  }),
  WEBHOOK_ALLOW_PRIVATE: bool(false, {
    key: 'webhookAllowPrivate',
    description: 'allow `callback_url` on loopback/private addresses (400 otherwise)',
  }),
  WEBHOOK_ATTEMPTS: int(5, 1, 100, { key: 'webhookAttempts', description: 'webhook deliveries tried' }),
  WEBHOOK_BACKOFF_MS: int(1000, 0, undefined, {
    key: 'webhookBackoffMs',
    description: 'first retry delay of a webhook delivery in ms (doubles each try)',
  }),
  WEBHOOK_TIMEOUT_MS: int(10_000, 100, undefined, {
    key: 'webhookTimeoutMs',
    description: 'time per webhook delivery in ms',
  }),
};

export const operations = {
  METRICS_ENABLED: bool(true, {
    key: 'metricsEnabled',
    description: '`GET /metrics` (Prometheus) on the API; the metrics server of worker processes',
  }),
  METRICS_PORT: int(9464, 0, 65535, {
    key: 'metricsPort',
    description: prose`worker processes (\`npm run worker\`) serve \`GET /health/alive\`, \`GET /health/ready\` and
      \`GET /metrics\` on this port (on \`HOST\`); \`0\` = no port (then no probes). Give each worker on one
      host its own`,
  }),
  // Read while loading only: the keys are kept as digests (Config.apiKeyHashes), never in the clear.
  API_KEYS: str('', {
    description: prose`comma-separated API keys (at least 16 characters each); any key set turns authentication
      on for \`/ocr/*\` (see [API keys](operations.md#api-keys))`,
    summary: 'API keys; any key set turns authentication on',
  }),
  API_KEYS_FILE: str('', {
    description: prose`file of API keys, one per line, plain or \`sha256:<hex>\` (the key's SHA-256); blank lines
      and \`#\` comments skipped; added to \`API_KEYS\``,
    summary: 'file of API keys, one per line',
  }),
  API_KEYS_OPEN: str(
    'health,metrics',
    {
      description: prose`what stays reachable without a key when keys are on: \`health\`, \`metrics\`, both
        (\`health,metrics\`), or \`none\``,
    },
    { pattern: '^\\s*(none|(health|metrics)\\s*(,\\s*(health|metrics)\\s*)*)$' },
  ),
};
