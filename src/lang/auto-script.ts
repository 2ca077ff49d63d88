// Script detection for lang=auto: the page is read with the default set; only when that reading
// looks like Cyrillic read with Latin letters (suggestsCyrillic: cheap statistics, no second model)
// is it read again with the Cyrillic set, and that reading is kept when it is mostly Cyrillic.
// A Latin or Chinese page costs nothing more than the statistics over its text.
import { modelSetStatus } from '../models/download.js';
import { loadManifest } from '../models/manifest.js';
import type { OcrResult, RawImage, RecognizeOptions } from '../native/engine.js';
import { CYRILLIC_PAGE, cyrillicShare, suggestsCyrillic } from './script.js';

interface Reader {
  modelSet: string;
  recognize(image: RawImage, options?: RecognizeOptions): Promise<OcrResult>;
}

/** The set that reads Cyrillic pages under lang=auto (the manifest's set for Russian), when installed. */
export function cyrillicSet(modelsDir?: string): string | undefined {
  const set = loadManifest().languages.ru;
  if (!set) return undefined;
  return modelSetStatus(set, modelsDir ? { modelsDir } : {}).present ? set : undefined;
}

/**
 * Reads a page with `first`; a page that looks Cyrillic is read again with the Cyrillic set, which
 * `cyrillic` gives (undefined: not installed; it is looked up only for such a page).
 */
export async function readAutoScript(
  first: Reader,
  cyrillic: (() => Promise<Reader | undefined>) | undefined,
  image: RawImage,
  options?: RecognizeOptions,
): Promise<OcrResult & { modelSet: string; scriptCheckMs: number }> {
  const r = await first.recognize(image, options);
  const t0 = performance.now();
  const suspect = cyrillic !== undefined && suggestsCyrillic(r.lines);
  const scriptCheckMs = performance.now() - t0;
  if (!suspect) return { ...r, modelSet: first.modelSet, scriptCheckMs };
  const c = await cyrillic();
  if (!c) return { ...r, modelSet: first.modelSet, scriptCheckMs };
  const r2 = await c.recognize(image, options);
  // The page's time is both readings'.
  const timings = { ...r2.timings, total: r.timings.total + r2.timings.total };
  if (cyrillicShare(r2.lines.map((l) => l.text).join(' ')) >= CYRILLIC_PAGE)
    return { ...r2, timings, modelSet: c.modelSet, scriptCheckMs };
  // A mostly Latin page: its Cyrillic lines from the Cyrillic reading (same detector, same boxes),
  // the rest as the default set read them (it reads Latin better).
  const cyrLines = new Map(r2.lines.filter((l) => cyrillicShare(l.text) >= 0.5).map((l) => [boxKey(l.bbox), l]));
  let swapped = 0;
  const lines = r.lines.map((l) => {
    const k = cyrLines.get(boxKey(l.bbox));
    if (k) swapped++;
    return k ?? l;
  });
  if (!swapped) return { ...r, timings, modelSet: first.modelSet, scriptCheckMs };
  return { ...r, lines, timings, modelSet: c.modelSet, scriptCheckMs };
}

const boxKey = (b: number[][]) => b.map((p) => p.map(Math.round).join(',')).join(' ');
