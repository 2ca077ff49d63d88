#!/usr/bin/env node
// Cost of accent restoration per language: dictionary load time and heap in a fresh worker thread
// (as an OCR worker loads it, on first use), and lookup time per word over a corpus page's words.
//   node scripts/bench-lang.mjs [fr es de pt it pl cs nl]

import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

if (isMainThread) {
  const langs = process.argv.slice(2).length ? process.argv.slice(2) : ['fr', 'es', 'de', 'pt', 'it', 'pl', 'cs', 'nl'];
  console.log('lang  stems    load ms  heap MB  rss MB  us/word (3000 words)');
  for (const lang of langs) {
    const r = await new Promise((resolve, reject) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { lang } });
      w.once('message', resolve).once('error', reject);
    });
    console.log(
      `${lang.padEnd(5)} ${String(r.stems).padStart(6)}  ${r.loadMs.toFixed(0).padStart(7)}  ${r.heapMb.toFixed(0).padStart(7)}  ${r.rssMb.toFixed(0).padStart(6)}  ${r.usPerWord.toFixed(0).padStart(7)}`,
    );
  }
} else {
  const { dictionaryFor } = await import('../dist/src/lang/dictionaries.js');
  const { DiacriticRestorer } = await import('../dist/src/lang/diacritics.js');
  const gc = () => globalThis.gc?.();
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const d = dictionaryFor(workerData.lang);
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
  const rssMb = (process.memoryUsage().rss - rss0) / 1e6;
  // Accent-less words as PP-OCRv4 reads them, made distinct so the per-word cache hides nothing.
  const sample =
    'developpeur etre capable travailler systeme informacion zrodlo wiecej Anderungen nyni funcoes perche ruimte'.split(
      ' ',
    );
  const words = Array.from(
    { length: 3000 },
    (_, i) => sample[i % sample.length] + String.fromCharCode(97 + ((i / sample.length) % 26)),
  );
  const r = new DiacriticRestorer(d.index, workerData.lang);
  const t0 = performance.now();
  for (const w of words) r.word(w);
  const usPerWord = ((performance.now() - t0) * 1000) / words.length;
  parentPort.postMessage({ stems: d.index.stemCount, loadMs: d.loadMs, heapMb, rssMb, usPerWord });
}
