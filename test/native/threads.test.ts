import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

import { createEngine } from '../../src/native/engine.js';
import { renderLines } from './render.js';

const TEXTS = [
  ['Alpha beta gamma delta'],
  ['Eight concurrent calls 12345'],
  ['From four worker threads'],
  ['Give the same results', 'as sequential calls'],
];

// Each worker loads the addon (its own module instance) and shares the process-wide sessions.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { createEngine } = await import(workerData.engineUrl);
  const engine = await createEngine();
  const out = await Promise.all(workerData.images.map((img) => engine.recognize(img)));
  parentPort.postMessage(out.map((r) => r.lines));
})().catch((e) => parentPort.postMessage({ error: String(e) }));
`;

describe('engine across worker threads', () => {
  it('eight concurrent recognize calls from four worker threads match sequential calls', async () => {
    const images = await Promise.all(TEXTS.map((t) => renderLines(t, { fontSize: 30 })));
    const engine = await createEngine();
    const sequential = [];
    for (const img of images) sequential.push((await engine.recognize(img)).lines);

    const engineUrl = new URL('../../src/native/engine.js', import.meta.url).href;
    const runs = [0, 1, 2, 3].map((w) =>
      new Promise<unknown>((resolve, reject) => {
        // two calls per worker, in flight at once
        const mine = [images[w], images[(w + 1) % 4]];
        const worker = new Worker(WORKER, { eval: true, workerData: { engineUrl, images: mine } });
        worker.once('message', resolve);
        worker.once('error', reject);
      }).then((lines) => ({ w, lines })),
    );
    for (const { w, lines } of await Promise.all(runs)) {
      assert.ok(Array.isArray(lines), `worker ${w}: ${JSON.stringify(lines)}`);
      assert.deepEqual(lines, [sequential[w], sequential[(w + 1) % 4]], `worker ${w}`);
    }
    assert.deepEqual(
      sequential.map((l) => l.map((x) => x.text)),
      TEXTS,
    );
  });

  it('terminating a worker thread while it recognizes does not kill the process (regression)', async () => {
    const img = await renderLines(TEXTS[0], { fontSize: 30 });
    const engineUrl = new URL('../../src/native/engine.js', import.meta.url).href;
    const src = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { createEngine } = await import(workerData.engineUrl);
  const engine = await createEngine();
  for (let i = 0; i < 6; i++) engine.recognize(workerData.img);
  parentPort.postMessage('started');
})();`;
    for (let round = 0; round < 3; round++) {
      const worker = new Worker(src, { eval: true, workerData: { engineUrl, img } });
      await new Promise((r) => worker.once('message', r));
      await worker.terminate(); // with recognitions still running on the libuv pool
    }
    await new Promise((r) => setTimeout(r, 1500)); // let the orphaned completions land
    const engine = await createEngine();
    const r = await engine.recognize(img);
    assert.deepEqual(
      r.lines.map((l) => l.text),
      TEXTS[0],
    );
  });
});
