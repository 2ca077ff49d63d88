// GET /languages: the languages `lang` accepts and whether this installation can read each, decided
// by the same resolution a submission uses (so the web page's menu never offers a 422).
import type { FastifyInstance } from 'fastify';

import type { Config } from '../config.js';
import { LANGUAGES } from '../lang/languages.js';
import { resolveLanguage } from '../lang/resolve.js';
import { tesseractCode } from '../lang/tesseract.js';
import { languagesRoute } from '../schemas/languages.js';

export default async function languageRoutes(app: FastifyInstance, opts: { config: Config }) {
  app.get('/languages', { schema: languagesRoute }, async () => {
    const languages = [
      { code: 'auto', name: 'Detect per page' },
      ...Object.entries(LANGUAGES).map(([code, info]) => ({ code, name: info.name })),
    ].map((l) => {
      const tesseract = tesseractCode(l.code);
      try {
        const choice = resolveLanguage({ lang: l.code }, opts.config);
        return { ...l, ...(tesseract && { tesseract }), available: true, model_set: choice.modelSet };
      } catch {
        return { ...l, ...(tesseract && { tesseract }), available: false };
      }
    });
    return { default: opts.config.lang, languages };
  });
}
