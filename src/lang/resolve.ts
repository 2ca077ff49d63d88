// Which model set reads a request's language, decided at submission (cheap: file checks only).
// An explicit model set (OCR_MODEL) wins. Otherwise the language's set from the manifest is used
// when it is installed; a Latin-script language whose set is not downloaded falls back to the
// default set (PP-OCRv6 tiny reads the Latin alphabet) with accents restored from a dictionary; any
// other language without its set is a 422 naming the download command.
import { ApiError } from '../errors.js';
import { modelSetStatus } from '../models/download.js';
import { DEFAULT_MODELS_DIR, INSTALL_COMMAND, loadManifest } from '../models/manifest.js';
import type { RestoreSteps } from './diacritics.js';
import { LANGUAGES } from './languages.js';
import { parseLanguages } from './tesseract.js';

export interface LanguageChoice {
  /** Canonical language code, or 'auto' (detected per page). */
  lang: string;
  modelSet: string;
  /** Restore accents (only applied when the set cannot read them). */
  diacritics: boolean;
  /** The language's own set is not installed; the default set reads it, accents restored. */
  fallback?: boolean;
  /** `eng+deu`: every language asked for, the first (`lang`) being the primary one. */
  languages?: string[];
}

export interface LanguageRequest {
  /** The request's `lang`, or undefined for OCR_LANG. */
  lang?: string;
  /** The request's `diacritics`, or undefined for OCR_RESTORE_DIACRITICS. */
  diacritics?: boolean;
}

export interface LanguageDefaults {
  /** OCR_LANG. */
  lang: string;
  /** OCR_MODEL ('' = by language). */
  model: string;
  /** OCR_RESTORE_DIACRITICS. */
  restoreDiacritics: boolean;
  modelsDir?: string;
}

const installed = (set: string, modelsDir: string) => {
  const st = modelSetStatus(set, { modelsDir });
  return st.present;
};

/**
 * `lang` may be Tesseract's (`deu`, `chi_sim`) and a `+` combination (`eng+deu`). A combination is
 * read by one model set: the primary (first) language's set when it lists every language asked
 * for, else the first installed set that does (`eng+rus` → the Cyrillic set); none is a 400. The
 * primary language is the page's `language` and picks the accent dictionary.
 */
export function resolveLanguage(req: LanguageRequest, defaults: LanguageDefaults): LanguageChoice {
  const name = req.lang === undefined ? 'OCR_LANG' : 'lang';
  const unique = parseLanguages(req.lang ?? defaults.lang, name);
  const primary = resolveOne({ ...req, lang: unique[0] }, defaults);
  if (unique.length === 1) return primary;
  if (defaults.model) return { ...primary, languages: unique }; // OCR_MODEL reads every request
  const manifest = loadManifest();
  const modelsDir = defaults.modelsDir || DEFAULT_MODELS_DIR;
  const readsAll = (set: string) => unique.every((l) => manifest.sets[set]?.languages.includes(l));
  const set = readsAll(primary.modelSet)
    ? primary.modelSet
    : Object.keys(manifest.sets).find((s) => readsAll(s) && installed(s, modelsDir));
  if (!set) {
    throw new ApiError(
      'language_unavailable',
      `No installed model set reads all of ${unique.join('+')}; ask for them separately or ` +
        `download a set that reads them (docs/models.md)`,
    );
  }
  return { ...primary, modelSet: set, languages: unique };
}

function resolveOne(req: LanguageRequest, defaults: LanguageDefaults): LanguageChoice {
  const lang = req.lang!;
  const diacritics = req.diacritics ?? defaults.restoreDiacritics;
  const manifest = loadManifest();
  if (defaults.model) return { lang, modelSet: defaults.model, diacritics };
  if (lang === 'auto') return { lang, modelSet: manifest.default, diacritics };
  const modelsDir = defaults.modelsDir || DEFAULT_MODELS_DIR;
  const preferred = manifest.languages[lang];
  if (preferred && installed(preferred, modelsDir)) return { lang, modelSet: preferred, diacritics };
  const info = LANGUAGES[lang];
  const fallback = manifest.default;
  if (info.script === 'latin' && manifest.sets[fallback].languages.includes('en')) {
    return { lang, modelSet: fallback, diacritics, fallback: preferred !== undefined && preferred !== fallback };
  }
  if (!preferred) throw new ApiError('language_unavailable', `No model set reads language "${lang}" (${info.name})`);
  const missing =
    'url' in manifest.sets[preferred].source
      ? `downloaded; run: npm run models:download -- ${preferred}`
      : `installed; run: ${INSTALL_COMMAND}`;
  throw new ApiError(
    'language_unavailable',
    `Language "${lang}" (${info.name}) needs model set ${preferred}, which is not ${missing}`,
  );
}

/**
 * Whether dictionary accent restoration is skipped for the set: its recognizer emits the accents
 * itself (`readsAccents`) and restoration was not measured to help it (`restoreAccents`, set for
 * PP-OCRv6 tiny, where restoring the few accents it misses raises dev2 word F1).
 */
export function readsAccents(modelSet: string): boolean {
  const set = loadManifest().sets[modelSet];
  return set?.readsAccents === true && set.restoreAccents !== true;
}

/** The language post-processing a model set gets (postprocessLines options), from the manifest. */
export function postprocessSettings(modelSet: string): { readsAccents: boolean; restoreSteps: Partial<RestoreSteps> } {
  return { readsAccents: readsAccents(modelSet), restoreSteps: loadManifest().sets[modelSet]?.restoreSteps ?? {} };
}
