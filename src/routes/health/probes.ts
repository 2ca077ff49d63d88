// What /health/alive and /health/ready decide, shared by the API (src/routes/health) and the
// queue worker's own port (src/worker-http.ts): the same checks, bodies and status codes.

/** A probe's answer: 200 with `{ status }`, or 503 with `{ status, message }`. */
export interface ProbeAnswer {
  code: 200 | 503;
  body: { status: string; message?: string };
}

export const alive = (): ProbeAnswer => ({ code: 200, body: { status: 'alive' } });
export const notAlive = (message: string): ProbeAnswer => ({ code: 503, body: { status: 'not alive', message } });
export const ready = (): ProbeAnswer => ({ code: 200, body: { status: 'ready' } });
export const notReady = (message: string): ProbeAnswer => ({ code: 503, body: { status: 'not ready', message } });

/**
 * Liveness: the event loop answers (it runs this), and the OCR pool, while it has pages to do,
 * has finished one within `stallTimeoutS` seconds.
 */
export function liveness(pool: { stalledMs(): number } | undefined, stallTimeoutS: number): ProbeAnswer {
  const stalled = pool?.stalledMs() ?? 0;
  if (stalled > stallTimeoutS * 1000) {
    return notAlive(
      `the OCR threads have had work for ${Math.round(stalled / 1000)} s without finishing a page ` +
        `(STALL_TIMEOUT ${stallTimeoutS} s)`,
    );
  }
  return alive();
}
