// One engine reading per corpus page per test run, shared between test files: test/lang/
// accent-bar.test.ts and test/native/corpus.test.ts post-process the same default reading of the
// same pages, and reading a page costs seconds where post-processing costs milliseconds (CI time).
// node:test runs each file in its own process under one runner, so the cache is a folder keyed by
// the runner's pid and start time: a later run (a new build, other models) never sees it. Folders
// of runners that have exited are removed on first use.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'ocr-corpus-reads-';

/** The runner's start time (Linux /proc), or undefined where unknown: then nothing is cached. */
function startTime(pid: number): string | undefined {
  try {
    // Field 22 of /proc/PID/stat, counted after the command name (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let dir: string | null | undefined;
function cacheDir(): string | null {
  if (dir !== undefined) return dir;
  const start = startTime(process.ppid);
  if (!start) return (dir = null);
  for (const name of readdirSync(os.tmpdir())) {
    const m = new RegExp(`^${PREFIX}(\\d+)-(\\d+)$`).exec(name);
    if (m && startTime(Number(m[1])) !== m[2]) rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
  dir = path.join(os.tmpdir(), `${PREFIX}${process.ppid}-${start}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The default reading of corpus page `set/file` (`read` runs it), from this run's cache when an
 * earlier test file already read it. `read` must be the same reading everywhere: the service's
 * defaults (readAutoScript with the default engine, no options).
 */
export async function defaultReading<T>(set: string, file: string, read: () => Promise<T>): Promise<T> {
  const d = cacheDir();
  const p = d && path.join(d, `${set}--${file}.json`);
  if (p && existsSync(p)) return JSON.parse(readFileSync(p, 'utf8')) as T;
  const r = await read();
  if (p) writeFileSync(p, JSON.stringify(r));
  return r;
}
