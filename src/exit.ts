// Ending the process at once (exitNow skips joining OCR threads still in a native call) without
// losing the last log lines: pino writes stdout asynchronously, so it is flushed first.
import { exitNow } from './native/engine.js';

/** exitNow(code) once `log` (a pino logger) has written what it holds, or after at most one second. */
export function exitAfterLogs(log: object, code: number): void {
  const done = () => exitNow(code);
  setTimeout(done, 1000).unref();
  const flush = (log as { flush?: (cb: (err?: Error) => void) => void }).flush;
  if (typeof flush === 'function') flush.call(log, () => done());
  else done();
}
