import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ApiError } from '../../src/errors.js';
import { failureOf } from '../../src/threads/failure.js';
import { runOneShot } from '../../src/threads/one-shot.js';

// A thread entry as an ES module in a data: URL (Worker accepts them), so no fixture file is needed.
const entry = (code: string) =>
  new URL(
    `data:text/javascript,${encodeURIComponent(`import { parentPort, workerData } from 'node:worker_threads';\n${code}`)}`,
  );

const errors = {
  timedOut: () => new Error('timed out'),
  crashed: (err: Error & { code?: string }) => new Error(`crashed: ${err.message}`),
  exited: (code: number) => new Error(`exited ${code}`),
};

describe('runOneShot', () => {
  it('resolves with the first message and ends the thread', async () => {
    const answer = await runOneShot<number>(
      entry('parentPort.postMessage(workerData * 2); parentPort.postMessage(0);'),
      {
        workerData: 21,
        timeoutMs: 10_000,
        ...errors,
      },
    );
    assert.equal(answer, 42);
  });

  it('maps a timeout, a throw and an exit without answer to the caller’s errors', async () => {
    const o = { workerData: null, ...errors };
    await assert.rejects(
      runOneShot(entry('setInterval(() => {}, 1000);'), { ...o, timeoutMs: 50 }),
      /^Error: timed out$/,
    );
    await assert.rejects(runOneShot(entry("throw new Error('boom');"), { ...o, timeoutMs: 10_000 }), /crashed: boom/);
    await assert.rejects(runOneShot(entry('process.exit(3);'), { ...o, timeoutMs: 10_000 }), /exited 3/);
  });
});

describe('failureOf', () => {
  it('keeps an ApiError’s code and message, words any other error under the given code', () => {
    assert.deepEqual(failureOf(new ApiError('too_many_pages', 'Too many'), 'undecodable'), {
      ok: false,
      code: 'too_many_pages',
      message: 'Too many',
    });
    assert.deepEqual(failureOf(new Error('bad xref'), 'undecodable', { describe: (d) => `Could not open: ${d}` }), {
      ok: false,
      code: 'undecodable',
      message: 'Could not open: bad xref',
    });
    assert.equal(failureOf('plain', 'ocr_failed').message, 'plain');
  });

  it('bounds the message to its first line when asked', () => {
    assert.equal(
      failureOf(new Error(`${'x'.repeat(500)}\nstack`), 'undecodable', { maxLength: 300 }).message,
      'x'.repeat(300),
    );
  });
});
