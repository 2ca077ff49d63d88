// The evaluation corpus (page images with ground truth, the born-digital PDFs, the layout set)
// lives outside the repository and is never committed to it: OCR_CORPUS names its folder,
// default ../shared/corpus beside the repository root. Tests that need it skip, saying why, when
// it is absent, so a fresh clone's `npm test` tells what it did not check instead of failing.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from '../src/models/manifest.js';

export const CORPUS = path.resolve(ROOT, process.env.OCR_CORPUS || path.join('..', 'shared', 'corpus'));

/** A path inside the corpus (`corpusPath('dev', 'cvs-paper_p009.png')`). */
export const corpusPath = (...parts: string[]): string => path.join(CORPUS, ...parts);

const printed = new Set<string>();

/**
 * A node:test `skip` value: false when the corpus (or each of the given paths inside it) exists,
 * else the reason, also printed once on stdout so that it shows in any reporter's output.
 */
export function withoutCorpus(...parts: string[]): string | false {
  const wanted = parts.length ? parts.map((p) => corpusPath(p)) : [CORPUS];
  const missing = wanted.find((p) => !existsSync(p));
  if (!missing) return false;
  const reason = `needs the corpus: ${missing} not found (set OCR_CORPUS to the corpus folder; default ../shared/corpus)`;
  if (!printed.has(reason)) {
    printed.add(reason);
    console.log(`# skipped: ${reason}`);
  }
  return reason;
}
