// Schemas of the submission routes: POST /ocr/image, /ocr/pdf, /ocr/batch.
import { Type } from '@sinclair/typebox';

import type { Config } from '../config.js';
import { PDF_TEXT_MODES, type PdfTextMode } from '../jobs/types.js';
import { submissionErrors } from './common.js';
import { OcrResult, waitParam } from './job.js';

/** Fields of every 202 answer to a single-file submission. */
const accepted = {
  job_id: Type.String({ format: 'uuid' }),
  status: Type.String(),
  filename: Type.String(),
  file_size: Type.Integer(),
  message: Type.String(),
};

/** `lang`, `diacritics` and `orientation`, on every submission route. */
export const langQuery = {
  lang: Type.Optional(
    Type.String({
      maxLength: 40,
      description:
        'language of the document (ISO 639-1: `fr`, `de`, `pl`, `ko`, ...; Tesseract codes too: ' +
        '`fra`, `deu`, `chi_sim`) or `auto` (default OCR_LANG): picks the model set and the accent ' +
        'dictionary; each page reports `language`. Up to 5 joined by `+` (`eng+deu`): one model set ' +
        'that reads them all is used, the first language picks the accent dictionary and is the ' +
        "pages' `language`",
    }),
  ),
  diacritics: Type.Optional(
    Type.Boolean({
      description:
        'restore accents the model set cannot read from the language dictionary (default OCR_RESTORE_DIACRITICS)',
    }),
  ),
  orientation: Type.Optional(
    Type.Union([Type.Literal('auto'), Type.Literal('off')], {
      description:
        '`auto`: each page scanned sideways or upside down is turned upright before it is read, and ' +
        'reports `rotation` (clockwise degrees); boxes stay in the pixels of the file as submitted. ' +
        '`off`: pages are read as they are (default OCR_ORIENTATION)',
    }),
  ),
};
export type LangQuery = { lang?: string; diacritics?: boolean; orientation?: 'auto' | 'off' };

/** `pdf_text`, on the routes that take PDFs. */
export const pdfTextQuery = {
  pdf_text: Type.Optional(
    Type.Union(
      PDF_TEXT_MODES.map((m) => Type.Literal(m)),
      {
        description:
          "where a PDF page's text comes from (default PDF_TEXT). `auto`: the page's embedded text " +
          'where it is usable (present, readable, covering the words in its pictures), OCR elsewhere; ' +
          'each page says `source`. `ocr`: every page rendered and recognized; the searchable PDF ' +
          'adds no layer over usable embedded text. `force`: every page recognized, and the ' +
          "searchable PDF's pages are the renders with the OCR text only",
      },
    ),
  ),
};
export type PdfTextQuery = { pdf_text?: PdfTextMode };

const multipartNote = (field: string) =>
  `multipart/form-data with the file in field \`${field}\`; the type is decided from the content, not the name`;

/** `?wait=`: 200 with the result when the job finished in time (422 when it failed), else the 202. */
const waited = { 200: OcrResult };
const waitNote =
  ' With `wait=SECONDS` the answer is the result itself (200) when the job finishes within ' +
  'that time, else the usual 202.';

export const imageRoute = (config: Config) => ({
  summary: 'Submit an image for OCR',
  description: `${multipartNote('file')}. JPEG, PNG, BMP, TIFF (every page), WebP, GIF (first frame).${waitNote}`,
  tags: ['ocr'],
  consumes: ['multipart/form-data'],
  querystring: Type.Object({ ...langQuery, wait: waitParam(config) }),
  response: {
    ...waited,
    202: Type.Object(accepted),
    ...submissionErrors,
  },
});

export const pdfRoute = (config: Config) => ({
  summary: 'Submit a PDF for OCR',
  description:
    `${multipartNote('file')}. Every page (or those in \`pages\`) is rendered at \`dpi\` and ` +
    `recognized.${waitNote}`,
  tags: ['ocr'],
  consumes: ['multipart/form-data'],
  querystring: Type.Object({
    dpi: Type.Integer({ minimum: config.minDpi, maximum: config.maxDpi, default: config.defaultDpi }),
    pages: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: '1-based pages and ranges, e.g. `1-3,7`; results keep the original page numbers',
      }),
    ),
    ...langQuery,
    ...pdfTextQuery,
    wait: waitParam(config),
  }),
  response: {
    ...waited,
    202: Type.Object({ ...accepted, processing_dpi: Type.Integer() }),
    ...submissionErrors,
  },
});

export const batchRoute = (config: Config) => ({
  summary: 'Submit several images and PDFs at once',
  description:
    `${multipartNote('files')} (repeated, at most ${config.maxBatchFiles}). One bad file does ` +
    `not fail the others. Query \`dpi\` applies to PDFs.`,
  tags: ['ocr'],
  consumes: ['multipart/form-data'],
  querystring: Type.Object({
    dpi: Type.Integer({ minimum: config.minDpi, maximum: config.maxDpi, default: config.defaultDpi }),
    ...langQuery,
    ...pdfTextQuery,
  }),
  response: {
    202: Type.Object({
      jobs: Type.Array(
        Type.Union([
          Type.Object({
            filename: Type.String(),
            job_id: Type.String(),
            status: Type.String(),
            type: Type.Union([Type.Literal('image'), Type.Literal('pdf')]),
            file_size: Type.Integer(),
          }),
          Type.Object({ filename: Type.String(), error: Type.String(), message: Type.String() }),
        ]),
      ),
      summary: Type.Object({
        total_files: Type.Integer(),
        jobs_created: Type.Integer(),
        failed_files: Type.Integer(),
        success: Type.Boolean(),
      }),
      message: Type.String(),
    }),
    ...submissionErrors,
  },
});
