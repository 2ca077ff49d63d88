// The pool's semaphore: one slot per OCR thread, so that a page's time budget (PAGE_TIMEOUT)
// starts when a thread is free for it, not while it waits in Piscina's queue.

/** A counting semaphore whose waits an AbortSignal can end. */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(n: number) {
    this.#free = n;
  }
  get waiting(): number {
    return this.#waiting.length;
  }
  /** Resolves with the slot's release function (calling it twice releases once). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.#free > 0) this.#free--;
    else {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener('abort', stop);
          resolve();
        };
        const stop = () => {
          const i = this.#waiting.indexOf(go);
          if (i >= 0) this.#waiting.splice(i, 1);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', stop, { once: true });
        this.#waiting.push(go);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
