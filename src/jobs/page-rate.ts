// Pages finished per second, measured over the last pages (for Retry-After on a full queue).
export class PageRate {
  readonly #times: number[] = [];
  readonly #keep: number;
  constructor(keep = 32) {
    this.#keep = keep;
  }
  /** One page finished now. */
  page(now = Date.now()): void {
    this.#times.push(now);
    if (this.#times.length > this.#keep) this.#times.shift();
  }
  /** undefined until two pages were seen; the window reaches up to now (a stall lowers the rate). */
  pagesPerSecond(now = Date.now()): number | undefined {
    if (this.#times.length < 2) return undefined;
    const span = (now - this.#times[0]) / 1000;
    return span > 0 ? (this.#times.length - 1) / span : undefined;
  }
}
