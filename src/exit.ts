// Ending the process at once (exitNow skips joining OCR threads still in a native call) without
// losing the last log lines. pino's default destination (sonic-boom) writes stdout asynchronously,
// and its flush(cb) calls back at once even while a write is still in flight, so a line logged
// just before exitNow could be lost: wait for that write to drain, then write what is still
// buffered synchronously.
import pino from 'pino';

import { exitNow } from './native/engine.js';

interface SonicBoomLike {
  flushSync?: () => void;
  once?: (event: 'drain', listener: () => void) => void;
  /** sonic-boom's own flag: an asynchronous write is in flight. */
  _writing?: boolean;
}

/** exitNow(code) once `log` (a pino logger) has written what it holds, or after at most one second. */
export function exitAfterLogs(log: object, code: number): void {
  let ended = false;
  const done = () => {
    if (ended) return;
    ended = true;
    exitNow(code);
  };
  setTimeout(done, 1000).unref();
  const stream = (log as Record<symbol, unknown>)[pino.symbols.streamSym] as SonicBoomLike | undefined;
  const writeRest = () => {
    try {
      stream?.flushSync?.();
    } catch {
      // a destination that cannot flush (closed, not ready): end anyway
    }
    done();
  };
  if (stream?._writing && typeof stream.once === 'function') stream.once('drain', writeRest);
  else writeRest();
}
