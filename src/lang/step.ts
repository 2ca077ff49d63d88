// The language step of a page, after the engine: language detection, accents the model set could
// not read, punctuation. The service runs it on its one language thread (src/pool/lang-thread.ts),
// the CLI in its own thread (src/page/local.ts).
import type { OcrLine } from '../native/engine.js';
import { postprocessLines } from './index.js';
import { postprocessSettings } from './resolve.js';

/** A page's lines and the language choice that read them. */
export interface LanguageStep {
  lines: OcrLine[];
  /** A code, or 'auto'. */
  lang: string;
  diacritics: boolean;
  /** The model set that read the page (a set that reads accents needs none restored). */
  modelSet: string;
  /** Punctuation fix-ups; false for a PDF's embedded text (only its language is detected). */
  punctuation?: boolean;
}

export interface LanguageStepResult {
  lines: OcrLine[];
  language: string;
  ms: number;
}

export function runLanguageStep(step: LanguageStep): LanguageStepResult {
  const start = performance.now();
  const post = postprocessLines(step.lines, {
    lang: step.lang,
    diacritics: step.diacritics,
    punctuation: step.punctuation,
    ...postprocessSettings(step.modelSet),
  });
  return { lines: post.lines, language: post.language, ms: performance.now() - start };
}
