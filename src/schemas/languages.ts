// Schema of GET /languages: what `lang` accepts here, for the web page's menu and for clients.
import { Type } from '@sinclair/typebox';

export const languagesRoute = {
  summary: 'Languages `lang` accepts',
  description:
    'Every language the service knows, with the model set that would read it here and whether ' +
    "that set is installed (`available`). `auto` detects each page's language.",
  tags: ['ocr'],
  response: {
    200: Type.Object({
      default: Type.String({ description: 'OCR_LANG: what a request without `lang` gets' }),
      languages: Type.Array(
        Type.Object({
          code: Type.String({
            description: "the value of `lang` (ISO 639-1, or PaddleOCR's ch / chinese_cht / japan)",
          }),
          name: Type.String(),
          tesseract: Type.Optional(Type.String({ description: 'the Tesseract code accepted for it too' })),
          available: Type.Boolean({
            description: 'false: its model set is not downloaded (a request answers 422 language_unavailable)',
          }),
          model_set: Type.Optional(Type.String({ description: 'the model set that reads it here' })),
        }),
      ),
    }),
  },
};
