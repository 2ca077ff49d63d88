// `?wait=SECONDS`: hold a request until its job finishes or the time is up, by polling the job
// store (timers, never a busy loop), so it works the same on the memory queue and on Redis.
import type { JobQueue, JobRecord } from './types.js';

const finished = (r: JobRecord | undefined) => !r || r.status === 'completed' || r.status === 'failed';

/**
 * The record once finished, or the last one read when `seconds` ran out or `gone()` says the
 * client went away. Polls every 50 ms at first, then every 250 ms (a page takes longer than that).
 */
export async function waitForJob(
  jobs: JobQueue,
  id: string,
  seconds: number,
  gone: () => boolean,
): Promise<JobRecord | undefined> {
  const until = Date.now() + seconds * 1000;
  let record = await jobs.get(id);
  for (let i = 0; !finished(record) && Date.now() < until && !gone(); i++) {
    const ms = Math.min(i < 10 ? 50 : 250, Math.max(1, until - Date.now()));
    await new Promise((resolve) => setTimeout(resolve, ms));
    record = await jobs.get(id);
  }
  return record;
}
