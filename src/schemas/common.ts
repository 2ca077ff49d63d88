// Shared TypeBox schemas: the error body of every non-2xx response, and an OCR line.
import { Type } from '@sinclair/typebox';

export const ErrorBody = Type.Object(
  {
    error: Type.String(),
    message: Type.String(),
    code: Type.String({
      description:
        'machine-readable error code from the catalogue (docs/api.md): bad_request, ' +
        'invalid_parameter, not_found, image_too_large, language_unavailable, queue_full, ' +
        'shutting_down, ...',
    }),
    filename: Type.Optional(Type.String()),
  },
  { $id: 'ErrorBody', description: 'Body of every error response' },
);

export const RateLimitBody = Type.Object(
  {
    error: Type.Literal('Rate limit exceeded'),
    message: Type.String(),
    code: Type.Literal('rate_limited'),
    retry_after: Type.Integer({ description: 'seconds' }),
    remaining: Type.Literal(0),
  },
  { description: 'Too many submissions from this client' },
);

export const Point = Type.Tuple([Type.Number(), Type.Number()]);
export const Line = Type.Object({
  text: Type.String(),
  confidence: Type.Number(),
  bbox: Type.Array(Point, {
    minItems: 4,
    maxItems: 4,
    description: 'four [x, y] corners, clockwise from top-left, in pixels',
  }),
  words: Type.Optional(
    Type.Array(
      Type.Object({
        text: Type.String(),
        confidence: Type.Number(),
        bbox: Type.Array(Point, { minItems: 4, maxItems: 4 }),
      }),
      {
        description: 'word boxes, when the engine gives them (same corner order and frame as bbox)',
      },
    ),
  ),
});

export const Block = Type.Object(
  {
    bbox: Type.Array(Point, {
      minItems: 4,
      maxItems: 4,
      description:
        "four [x, y] corners, clockwise from the block's top-left as read, in pixels (the frame of the lines' bbox)",
    }),
    type: Type.Union(
      ['text', 'heading', 'list', 'code', 'table', 'header', 'footer'].map((t) => Type.Literal(t)),
      {
        description:
          'from geometry: heading (taller lines), list (bullet or number first), code (monospaced: ' +
          'one character pitch), table (rows of cells read across), header/footer (page margins), ' +
          'else text',
      },
    ),
    lines: Type.Array(Type.Integer({ minimum: 0 }), {
      description: "indices into the page's `lines` (which are in reading order)",
    }),
    table: Type.Optional(
      Type.Integer({ minimum: 0, description: "a table's block: its index in the page's `tables`" }),
    ),
  },
  { description: 'a paragraph, heading, list, code display, table, header or footer; blocks are in reading order' },
);

const Box4 = Type.Array(Type.Number(), {
  minItems: 4,
  maxItems: 4,
  description: '[x0, y0, x1, y1] in pixels of the image as submitted (the frame of the lines)',
});

export const TableCell = Type.Object({
  row: Type.Integer({ minimum: 0, description: '0-based row of the top-left grid cell it covers' }),
  col: Type.Integer({ minimum: 0 }),
  rowspan: Type.Integer({ minimum: 1 }),
  colspan: Type.Integer({ minimum: 1 }),
  bbox: Box4,
  text: Type.String({ description: "its words in reading order, joined by spaces ('' for an empty cell)" }),
  header: Type.Boolean({ description: 'in a header row (ruled off from the body)' }),
});

export const Table = Type.Object(
  {
    bbox: Box4,
    rows: Type.Integer({ minimum: 1 }),
    cols: Type.Integer({ minimum: 1 }),
    cells: Type.Array(TableCell, { description: 'row by row, left to right; a spanning cell once, at its top-left' }),
  },
  {
    description:
      'a table found on the page image (ruling lines, or word columns aligned over three rows or ' +
      'more); the `table` block with `table: <index>` holds its lines, cell by cell',
  },
);

/** Which language and model set read a page (see `lang`), and how it was turned (see `orientation`). */
export const PageLanguage = {
  rotation: Type.Optional(
    Type.Union([Type.Literal(90), Type.Literal(180), Type.Literal(270)], {
      description:
        'present when the page was scanned sideways or upside down: the clockwise degrees that ' +
        'turned it upright before it was read. Boxes (`lines`, `words`, `blocks`) are in the pixels ' +
        "of the file as submitted all the same; each box's first corner is the top-left of its text " +
        'as read',
    }),
  ),
  language: Type.Optional(
    Type.String({
      description: "the page's language: the request's `lang`, or detected from its text (`und`: could not be told)",
    }),
  ),
  model_set: Type.Optional(Type.String({ description: 'the model set that read the page' })),
};

export const Page = Type.Object({
  page: Type.Integer({ minimum: 1 }),
  text: Type.String({ description: 'the blocks in reading order, a blank line between blocks' }),
  lines: Type.Array(Line, { description: 'in reading order' }),
  blocks: Type.Optional(Type.Array(Block, { description: 'the lines grouped into blocks, in reading order' })),
  tables: Type.Optional(
    Type.Array(Table, { description: 'the tables on the page as cells (`[]` when there is none)' }),
  ),
  success: Type.Boolean(),
  error: Type.Optional(Type.String()),
  dpi: Type.Optional(
    Type.Integer({
      description: 'PDF pages: the dpi used; below the requested one when MAX_PDF_PAGE_PIXELS forced it',
    }),
  ),
  width: Type.Optional(Type.Integer({ description: 'pixel width of the processed page (the frame of bbox)' })),
  height: Type.Optional(Type.Integer({ description: 'pixel height of the processed page' })),
  render_ms: Type.Optional(Type.Integer({ description: 'PDF pages: milliseconds spent rendering the page' })),
  ocr_ms: Type.Optional(Type.Integer({ description: 'PDF pages: milliseconds spent in the OCR engine' })),
  source: Type.Optional(
    Type.Union([Type.Literal('pdf'), Type.Literal('ocr')], {
      description:
        "PDF pages: `pdf` when the lines are the page's embedded text (boxes from the file, " +
        'confidence 1), `ocr` when the page was rendered and recognized (see `pdf_text`)',
    }),
  ),
  text_layer: Type.Optional(
    Type.Union([Type.Literal('usable'), Type.Literal('unusable')], {
      description:
        'PDF pages read by OCR that have embedded text: whether that text was usable (`usable`: ' +
        '`pdf_text=ocr`/`force`; `unusable`: garbled, or words in pictures it lacks)',
    }),
  ),
  ...PageLanguage,
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
