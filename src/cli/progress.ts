// The CLI's progress bar: pages done, pages/s and ETA on one stderr line, redrawn in place. Only
// when stderr is a terminal and the file has more than one page; silent otherwise (pipes, logs).
export interface Progress {
  tick(): void;
  done(): void;
}

const QUIET: Progress = { tick() {}, done() {} };

const seconds = (s: number) =>
  s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
      : `${Math.round(s)}s`;

/** Formats one line of the bar (exported for tests). */
export function barLine(label: string, done: number, total: number, elapsedS: number, width = 24): string {
  const share = total ? done / total : 1;
  const filled = Math.round(share * width);
  const rate = elapsedS > 0 ? done / elapsedS : 0;
  const eta = rate > 0 ? seconds((total - done) / rate) : '?';
  return (
    `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
    `${String(Math.round(share * 100)).padStart(3)}% ${done}/${total} pages  ${rate.toFixed(2)} ` +
    `pages/s  ETA ${done === total ? '0s' : eta}`
  );
}

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total < 2) return QUIET;
  const start = performance.now();
  let done = 0;
  const draw = () => stream.write(`\r${barLine(label, done, total, (performance.now() - start) / 1000)}\x1b[K`);
  draw();
  return {
    tick() {
      done++;
      draw();
    },
    done() {
      stream.write('\n');
    },
  };
}
