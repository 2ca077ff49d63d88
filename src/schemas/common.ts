// Shared TypeBox schemas: the error body of every non-2xx response, and an OCR line.
import { Type } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.String(),
    message: Type.String(),
    filename: Type.Optional(Type.String()),
  },
  { $id: 'ErrorBody', description: 'Body of every error response' },
);

export const RateLimitBody = Type.Object(
  {
    error: Type.Literal('Rate limit exceeded'),
    message: Type.String(),
    retry_after: Type.Integer({ description: 'seconds' }),
    remaining: Type.Literal(0),
  },
  { description: 'Too many submissions from this client' },
);

export const Point = Type.Tuple([Type.Number(), Type.Number()]);
export const Line = Type.Object({
  text: Type.String(),
  confidence: Type.Number(),
  bbox: Type.Array(Point, { minItems: 4, maxItems: 4, description: 'four [x, y] corners, clockwise from top-left, in pixels' }),
  words: Type.Optional(
    Type.Array(Type.Object({ text: Type.String(), confidence: Type.Number(), bbox: Type.Array(Point, { minItems: 4, maxItems: 4 }) }), {
      description: 'word boxes, when the engine gives them (same corner order and frame as bbox)',
    }),
  ),
});

export const Page = Type.Object({
  page: Type.Integer({ minimum: 1 }),
  text: Type.String(),
  lines: Type.Array(Line),
  success: Type.Boolean(),
  error: Type.Optional(Type.String()),
  dpi: Type.Optional(Type.Integer({ description: 'PDF pages: the dpi used; below the requested one when MAX_PDF_PAGE_PIXELS forced it' })),
  width: Type.Optional(Type.Integer({ description: 'pixel width of the processed page (the frame of bbox)' })),
  height: Type.Optional(Type.Integer({ description: 'pixel height of the processed page' })),
  render_ms: Type.Optional(Type.Integer({ description: 'PDF pages: milliseconds spent rendering the page' })),
  ocr_ms: Type.Optional(Type.Integer({ description: 'PDF pages: milliseconds spent in the OCR engine' })),
});

/** The error statuses a submission route can answer with. */
export const submissionErrors = {
  400: ErrorBody,
  413: ErrorBody,
  415: ErrorBody,
  422: ErrorBody,
  429: RateLimitBody,
  500: ErrorBody,
  503: ErrorBody,
};
