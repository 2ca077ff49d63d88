// Schemas of job polling: GET /ocr/job/:job_id and /ocr/job/:job_id/result.
import { Type } from '@sinclair/typebox';

import { Block, ErrorBody, Line, Page, PageLanguage, Table } from './common.js';

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

export const ImageResult = Type.Object({
  ...common,
  text: Type.String({ description: 'the blocks in reading order, a blank line between blocks (pages: an empty line between pages)' }),
  lines: Type.Array(Line, { description: 'in reading order' }),
  blocks: Type.Optional(Type.Array(Block, { description: 'single-page images: the lines grouped into blocks, in reading order (multi-page: in pages[])' })),
  tables: Type.Optional(Type.Array(Table, { description: 'single-page images: the tables as cells (multi-page: in pages[])' })),
  width: Type.Optional(Type.Integer({ description: 'single-page images: pixel width of the decoded image (the frame of bbox)' })),
  height: Type.Optional(Type.Integer({ description: 'single-page images: pixel height of the decoded image' })),
  pages: Type.Optional(Type.Array(Page)),
  failed_pages: Type.Optional(Type.Array(Type.Integer(), { description: 'multi-page images: pages that failed' })),
  ...PageLanguage,
});

export const PdfResult = Type.Object({
  ...common,
  pages: Type.Array(Page),
  full_text: Type.String(),
  total_pages: Type.Integer(),
  failed_pages: Type.Array(Type.Integer(), { description: 'pages (original numbers) that failed; success is true when any page succeeded' }),
  processing_dpi: Type.Integer(),
  pdf_text: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('ocr'), Type.Literal('force')], { description: 'the `pdf_text` mode the job ran with' })),
});

export const ResultQuery = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('txt'), Type.Literal('md'), Type.Literal('html'), Type.Literal('csv'), Type.Literal('pdf'), Type.Literal('hocr'), Type.Literal('alto')], {
    default: 'json',
    description:
      'json: the result object; txt: text in reading order, a blank line between blocks, pages separated by form feeds; md: Markdown (headings, paragraphs, lists, code blocks, tables as pipe tables, or HTML where a cell spans; pages separated by a rule); html: the pages as simple semantic HTML (headings, paragraphs, lists, <pre>, <table> with colspan/rowspan); csv: one table (see `table`) as CSV; pdf: a searchable PDF; hocr: hOCR 1.2 (XHTML); alto: ALTO v4 XML',
  }),
  table: Type.Optional(
    Type.String({ pattern: '^(\\d{1,6}:)?\\d{1,4}$', description: 'format=csv: which table: `N` (the N-th table, 0-based, of a single-page result) or `PAGE:N` (1-based page, 0-based index on it). Default 0' }),
  ),
  partial: Type.Boolean({ default: false, description: 'while the job runs, answer 202 with the pages finished so far' }),
});

export const jobResultRoute = {
  summary: 'Result of a finished job',
  description:
    '`format=txt` answers text/plain, `format=md` text/markdown, `format=html` text/html, `format=csv` text/csv (404 when the result has no such table), `format=pdf` application/pdf (the original with an invisible text layer). Lines are in reading order and grouped into `blocks`. `partial=true` adds the finished pages to the 202 of a running job.',
  tags: ['jobs'],
  params: JobParams,
  querystring: ResultQuery,
  response: {
    200: Type.Union([PdfResult, ImageResult]),
    202: Type.Object({
      job_id: Type.String(),
      status: Type.String(),
      ready: Type.Literal(false),
      message: Type.String(),
      progress: Type.Optional(Progress),
      partial: Type.Optional(Type.Literal(true)),
      pages: Type.Optional(Type.Array(Page, { description: 'partial=true: the pages finished so far, in page order' })),
    }),
    404: ErrorBody,
    422: ErrorBody,
  },
};
