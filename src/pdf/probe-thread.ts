// Thread entry of probePdf (probe.ts): opens the document once, answers, and ends with its thread.
import { parentPort, workerData } from 'node:worker_threads';

import { failureOf } from '../threads/failure.js';
import { probePdfHere } from './render.js';

const { bytes, maxPages, maxMemoryBytes } = workerData as {
  bytes: Uint8Array;
  maxPages: number;
  maxMemoryBytes?: number;
};
probePdfHere(bytes, { maxPages, maxMemoryBytes }).then(
  (info) => parentPort!.postMessage({ ok: true, info }),
  (err) => parentPort!.postMessage(failureOf(err, 'undecodable', { describe: (d) => `Could not open the PDF: ${d}` })),
);
