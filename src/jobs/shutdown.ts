// SIGTERM: the process exits 0 within SHUTDOWN_GRACE (README, "Behaviour").
/**
 * How SHUTDOWN_GRACE is spent: running jobs get most of it; the rest (at most 3 s) is kept for
 * aborting them, webhooks in flight and closing the threads, so the process exits within the grace.
 */
export function shutdownBudget(graceSeconds: number): { jobsMs: number; restMs: number } {
  const total = graceSeconds * 1000;
  const restMs = Math.min(3000, total / 3);
  return { jobsMs: total - restMs, restMs };
}
