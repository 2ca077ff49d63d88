// Piscina task file of the one language thread (src/pool/thread-pool.ts): a page's language
// post-processing (src/lang: language detection, accents, punctuation) after the engine. It runs
// here, not in the OCR threads, so that an OCR thread goes on to its next page at once, and so
// that the hunspell dictionaries (8-69 MB of heap each, up to 300 MB kept) are held once per
// process, not once per OCR thread.
import { workerData } from 'node:worker_threads';

import { dictionaryFor } from '../lang/dictionaries.js';
import { readsAccents } from '../lang/resolve.js';
import { runLanguageStep } from '../lang/step.js';
import type { WorkerSettings } from './tasks.js';

// OCR_LANG as the main thread resolved it (src/pool/thread-pool.ts).
const { defaultLang: defaults } = workerData as Pick<WorkerSettings, 'defaultLang'>;

// OCR_LANG's dictionary is loaded with the thread, not on the first page (up to ~1 s for pt/pl/cs).
if (defaults.diacritics && !readsAccents(defaults.modelSet)) dictionaryFor(defaults.lang);

export default runLanguageStep;
