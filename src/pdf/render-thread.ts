// The render thread of a process, managed by hand (not a pool) so that it can be replaced at once:
// after PDFium failed badly (abort(), out of its memory budget), after a page ran past its time,
// or when the thread died. A new thread starts with a fresh PDFium heap for the next page; the old
// thread's WebAssembly memory is returned with it. The thread also ends after a minute idle.
import { Worker } from 'node:worker_threads';

import { failure } from '../threads/failure.js';
import type { PdfPageTask, RenderResult } from '../pool/tasks.js';
import type { RenderAnswer } from './render-worker.js';

export interface RenderThreadOptions {
  /** PDFium's WebAssembly heap bound, bytes. */
  maxMemoryBytes: number;
  /** Milliseconds without work before the thread (and its heap) ends. */
  idleMs?: number;
}

interface Pending {
  id: number;
  task: PdfPageTask;
  timeoutMs: number;
  signal?: AbortSignal;
  resolve(r: RenderResult): void;
  reject(err: unknown): void;
}

const RENDER_FILE = new URL('./render-worker.js', import.meta.url);

export class RenderThread {
  readonly #o: RenderThreadOptions;
  readonly #queue: Pending[] = [];
  #worker: Worker | undefined;
  #current: (Pending & { timer: NodeJS.Timeout; onAbort(): void }) | undefined;
  #idle: NodeJS.Timeout | undefined;
  #nextId = 1;
  #closed = false;
  /** Threads replaced after a failure (for tests and logs). */
  replaced = 0;

  constructor(o: RenderThreadOptions) {
    this.#o = o;
  }

  /** Renders one page; a page over `timeoutMs` of rendering fails alone (time waiting for the thread not counted). */
  render(task: PdfPageTask, timeoutMs: number, signal?: AbortSignal): Promise<RenderResult> {
    if (this.#closed) return Promise.reject(new Error('The render thread is closed'));
    signal?.throwIfAborted();
    return new Promise<RenderResult>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, task, timeoutMs, signal, resolve, reject });
      this.#next();
    });
  }

  #spawn(): Worker {
    const w = new Worker(RENDER_FILE, {
      workerData: { maxMemoryBytes: this.#o.maxMemoryBytes },
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
    });
    w.on('message', (a: RenderAnswer) => this.#answer(w, a));
    w.on('error', () => {}); // reported through 'exit'
    w.on('exit', (code) => {
      if (this.#worker !== w) return;
      this.#worker = undefined;
      this.#finish(failure('undecodable', `The page could not be rendered: the renderer stopped (exit code ${code})`));
    });
    w.unref();
    return w;
  }

  #next(): void {
    if (this.#current || !this.#queue.length) return;
    const p = this.#queue.shift()!;
    if (p.signal?.aborted) {
      p.reject(p.signal.reason);
      return this.#next();
    }
    clearTimeout(this.#idle);
    this.#worker ??= this.#spawn();
    const onAbort = () => {
      this.#replace();
      const cur = this.#current;
      this.#current = undefined;
      cur?.reject(p.signal!.reason);
      this.#next();
    };
    const timer = setTimeout(() => {
      this.#replace();
      this.#finish(
        failure('timeout', `Page ${p.task.page + 1} took longer than PAGE_TIMEOUT (${p.timeoutMs / 1000} s) to render`),
      );
    }, p.timeoutMs);
    p.signal?.addEventListener('abort', onAbort, { once: true });
    this.#current = { ...p, timer, onAbort };
    this.#worker.postMessage({ id: p.id, task: p.task });
  }

  #answer(w: Worker, a: RenderAnswer): void {
    if (w !== this.#worker || a.id !== this.#current?.id) return;
    if (a.fatal) this.#replace();
    this.#finish(a.result);
  }

  #finish(result: RenderResult): void {
    const cur = this.#current;
    this.#current = undefined;
    if (cur) {
      clearTimeout(cur.timer);
      cur.signal?.removeEventListener('abort', cur.onAbort);
      cur.resolve(result);
    }
    if (!this.#queue.length && this.#worker) {
      clearTimeout(this.#idle);
      this.#idle = setTimeout(() => this.#replace(), this.#o.idleMs ?? 60_000).unref();
    }
    this.#next();
  }

  /** Ends the thread now (its PDFium heap with it); the next page starts a new one. */
  #replace(): void {
    const w = this.#worker;
    if (!w) return;
    this.#worker = undefined;
    if (this.#current) this.replaced++;
    void w.terminate();
  }

  get running(): boolean {
    return this.#worker !== undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#idle);
    for (const p of this.#queue.splice(0)) p.reject(new Error('The render thread is closed'));
    const w = this.#worker;
    this.#worker = undefined;
    if (this.#current) {
      clearTimeout(this.#current.timer);
      this.#current.reject(new Error('The render thread is closed'));
      this.#current = undefined;
    }
    await w?.terminate();
  }
}
