// Thread entry of probePdf (probe.ts): opens the document once, answers, and ends with its thread.
import { parentPort, workerData } from 'node:worker_threads';

import { ApiError } from '../errors.js';
import { probePdfHere } from './render.js';

const { bytes, maxPages, maxMemoryBytes } = workerData as {
  bytes: Uint8Array;
  maxPages: number;
  maxMemoryBytes?: number;
};
probePdfHere(bytes, { maxPages, maxMemoryBytes }).then(
  (info) => parentPort!.postMessage({ ok: true, info }),
  (err) =>
    parentPort!.postMessage(
      err instanceof ApiError
        ? { ok: false, code: err.code, message: err.message }
        : {
            ok: false,
            code: 'undecodable',
            message: `Could not open the PDF: ${err instanceof Error ? err.message : String(err)}`,
          },
    ),
);
