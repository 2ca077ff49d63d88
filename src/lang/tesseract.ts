// Tesseract's language codes (ISO 639-2 with a few of its own: chi_sim, chi_tra) and its `+`
// combinations, accepted for `lang` so clients written for Tesseract keep their settings.
import { ApiError } from '../errors.js';
import { LANGUAGES, parseLang } from './languages.js';

/** Tesseract codes that differ from the franc (ISO 639-3) code of languages.ts. */
const TESSERACT: Record<string, string> = {
  chi_sim: 'ch',
  chi_tra: 'chinese_cht',
  jpn: 'japan',
  ara: 'ar',
  fas: 'fa',
  nor: 'no',
  mon: 'mn',
  nep: 'ne',
  lat: 'la',
  srp: 'sr',
  hrv: 'hr',
};

const BY_FRANC: Record<string, string> = Object.fromEntries(
  Object.entries(LANGUAGES)
    .filter(([, info]) => info.franc)
    .map(([code, info]) => [info.franc!, code]),
);

/** A Tesseract code as the service's code (`deu` → `de`), or the input unchanged when it is not one. */
function fromTesseract(code: string): string {
  const c = code.trim().toLowerCase();
  return TESSERACT[c] ?? BY_FRANC[c] ?? code.trim();
}

/** The Tesseract code of a service code (`de` → `deu`), when there is one. */
export function tesseractCode(code: string): string | undefined {
  const own = Object.entries(TESSERACT).find(([, c]) => c === code)?.[0];
  return own ?? LANGUAGES[code]?.franc;
}

/** `eng+deu` → ['en', 'de'] (still to be checked by parseLang); a single code → one item. */
function splitLanguages(raw: string, name: string): string[] {
  const parts = raw.split('+');
  if (parts.length > 5 || parts.some((p) => !p.trim())) {
    throw new ApiError(
      'bad_request',
      `Expected one language or up to 5 joined by "+" (eng+deu) for ${name} but received ` +
        `${JSON.stringify(raw.slice(0, 40))}`,
    );
  }
  return parts.map(fromTesseract);
}

/** A `lang` value (one code or a `+` combination) checked and made canonical, duplicates dropped. */
export function parseLanguages(raw: string, name: string): string[] {
  const unique = [...new Set(splitLanguages(raw, name).map((c) => parseLang(c, name)))];
  if (unique.length > 1 && unique.includes('auto'))
    throw new ApiError('bad_request', `"auto" cannot be combined with other languages in ${name}`);
  return unique;
}
