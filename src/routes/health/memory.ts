// Process memory, as a share of the container's limit (cgroup v2 or v1) when there is one.
import { readFileSync } from 'node:fs';
import os from 'node:os';

function readNumber(file: string): number | undefined {
  try {
    const v = readFileSync(file, 'utf8').trim();
    const n = Number(v);
    return Number.isFinite(n) && n > 0 ? n : undefined; // "max" (no limit) is NaN
  } catch {
    return undefined;
  }
}

let limitCache: number | undefined;
export function memoryLimit(): number {
  if (limitCache === undefined) {
    const cg = readNumber('/sys/fs/cgroup/memory.max') ?? readNumber('/sys/fs/cgroup/memory/memory.limit_in_bytes');
    // cgroup v1 reports a huge number when unlimited.
    limitCache = cg !== undefined && cg < os.totalmem() ? cg : os.totalmem();
  }
  return limitCache;
}

function vmSize(): number {
  try {
    const m = /VmSize:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function memoryUsage() {
  const rss = process.memoryUsage.rss();
  const vms = vmSize();
  const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
  return { rss, vms, rss_mb: mb(rss), vms_mb: mb(vms), percent: Math.round((rss / memoryLimit()) * 1000) / 10 };
}
