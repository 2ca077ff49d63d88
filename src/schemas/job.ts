// Schemas of job polling: GET /ocr/job/:job_id and /ocr/job/:job_id/result.
import { Type } from '@sinclair/typebox';

import type { Config } from '../config.js';
import { PDF_TEXT_MODES } from '../jobs/types.js';

import { Block, ErrorBody, Line, Page, Table } from './common.js';

export const JobParams = Type.Object({ job_id: Type.String({ maxLength: 100 }) });

const Progress = Type.Object({ pages_done: Type.Integer(), total_pages: Type.Integer() });

export const jobStatusRoute = {
  summary: 'State of a job',
  tags: ['jobs'],
  params: JobParams,
  response: {
    200: Type.Object({
      job_id: Type.String(),
      status: Type.Union([Type.Literal('completed'), Type.Literal('failed')]),
      ready: Type.Literal(true),
      successful: Type.Boolean(),
      failed: Type.Boolean(),
      progress: Progress,
    }),
    202: Type.Object({
      job_id: Type.String(),
      status: Type.Union([Type.Literal('queued'), Type.Literal('processing')]),
      ready: Type.Literal(false),
      successful: Type.Null(),
      failed: Type.Null(),
      progress: Progress,
    }),
    404: ErrorBody,
  },
};

const common = {
  job_id: Type.String(),
  status: Type.Literal('completed'),
  success: Type.Boolean(),
  filename: Type.String(),
  file_size: Type.Integer(),
  cached: Type.Boolean(),
  processing_time_seconds: Type.Number(),
};

const old = (description: string) => ({
  deprecated: true,
  description: `deprecated, kept for older clients: ${description}; read pages[] instead`,
});

/** Every result, image or PDF: `text` and `pages[]`; the older per-kind fields are deprecated. */
export const OcrResult = Type.Object({
  ...common,
  text: Type.String({
    description:
      'the whole document: blocks in reading order, a blank line between blocks, an empty line between pages',
  }),
  pages: Type.Array(Page, { description: 'every page (a single image is page 1), in page order' }),
  total_pages: Type.Integer(),
  failed_pages: Type.Array(Type.Integer(), {
    description: 'pages (original numbers) that failed; success is true when any page succeeded',
  }),
  processing_dpi: Type.Optional(Type.Integer({ description: 'PDFs: the requested dpi' })),
  pdf_text: Type.Optional(
    Type.Union(
      PDF_TEXT_MODES.map((m) => Type.Literal(m)),
      {
        description: 'PDFs: the `pdf_text` mode the job ran with',
      },
    ),
  ),
  full_text: Type.Optional(Type.String(old('PDFs: the same as text'))),
  lines: Type.Optional(
    Type.Array(Line, old('images: every line in reading order (pages[0].lines for a single image)')),
  ),
  blocks: Type.Optional(Type.Array(Block, old('single-page images: pages[0].blocks'))),
  tables: Type.Optional(Type.Array(Table, old('single-page images: pages[0].tables'))),
  width: Type.Optional(Type.Integer(old('single-page images: pages[0].width'))),
  height: Type.Optional(Type.Integer(old('single-page images: pages[0].height'))),
  rotation: Type.Optional(
    Type.Union([Type.Literal(90), Type.Literal(180), Type.Literal(270)], old('single-page images: pages[0].rotation')),
  ),
  language: Type.Optional(Type.String(old('single-page images: pages[0].language'))),
  model_set: Type.Optional(Type.String(old('single-page images: pages[0].model_set'))),
});

export const ResultQuery = Type.Object({
  format: Type.Union(
    [
      Type.Literal('json'),
      Type.Literal('txt'),
      Type.Literal('md'),
      Type.Literal('html'),
      Type.Literal('csv'),
      Type.Literal('pdf'),
      Type.Literal('hocr'),
      Type.Literal('alto'),
    ],
    {
      default: 'json',
      description:
        'json: the result object; txt: text in reading order, a blank line between blocks, pages ' +
        'separated by form feeds; md: Markdown (headings, paragraphs, lists, code blocks, tables as ' +
        'pipe tables, or HTML where a cell spans; pages separated by a rule); html: the pages as ' +
        'simple semantic HTML (headings, paragraphs, lists, <pre>, <table> with colspan/rowspan); ' +
        'csv: one table (see `table`) as CSV; pdf: a searchable PDF; hocr: hOCR 1.2 (XHTML); alto: ' +
        'ALTO v4 XML',
    },
  ),
  table: Type.Optional(
    Type.String({
      pattern: '^(\\d{1,6}:)?\\d{1,4}$',
      description:
        'format=csv: which table: `N` (the N-th table, 0-based, of a single-page result) or ' +
        '`PAGE:N` (1-based page, 0-based index on it). Default 0',
    }),
  ),
  partial: Type.Boolean({
    default: false,
    description: 'while the job runs, answer 202 with the pages finished so far',
  }),
});

/** `?wait=SECONDS`, bounded by WAIT_MAX. */
export const waitParam = (config: Config) =>
  Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: config.waitMax,
      description:
        `hold the request up to this many seconds (at most WAIT_MAX, ${config.waitMax}) for the job ` +
        `to finish: 200 with the result (422 when it failed) if it does, else the usual 202`,
    }),
  );

export const jobDeleteRoute = {
  summary: 'Cancel and delete a job',
  description:
    'A waiting job never starts; a running one starts no more pages (pages being read are ' +
    'dropped). The record, the kept upload and the cached result are removed. With API keys on, ' +
    'only the key that submitted the job can delete it (another key gets 404).',
  tags: ['jobs'],
  params: JobParams,
  response: {
    204: Type.Null({ description: 'deleted' }),
    404: ErrorBody,
    503: ErrorBody,
  },
};

export const jobResultRoute = (config: Config) => ({
  summary: 'Result of a finished job',
  description:
    '`format=txt` answers text/plain, `format=md` text/markdown, `format=html` text/html, ' +
    '`format=csv` text/csv (404 when the result has no such table), `format=pdf` ' +
    'application/pdf (the original with an invisible text layer). Lines are in reading order ' +
    'and grouped into `blocks`. `partial=true` adds the finished pages to the 202 of a running ' +
    'job.',
  tags: ['jobs'],
  params: JobParams,
  querystring: Type.Object({ ...ResultQuery.properties, wait: waitParam(config) }),
  response: {
    200: OcrResult,
    202: Type.Object({
      job_id: Type.String(),
      status: Type.String(),
      ready: Type.Literal(false),
      message: Type.String(),
      progress: Type.Optional(Progress),
      partial: Type.Optional(Type.Literal(true)),
      pages: Type.Optional(Type.Array(Page, { description: 'partial=true: the pages finished so far, in page order' })),
    }),
    400: ErrorBody,
    404: ErrorBody,
    422: ErrorBody,
  },
});
