// POST /ocr/pdf?dpi=300
import type { FastifyInstance } from 'fastify';

import type { Config } from '../../config.js';
import { ApiError } from '../../errors.js';
import { orientationOn, prepareInput } from '../../jobs/prepare.js';
import { resolveLanguage } from '../../lang/resolve.js';
import { type LangQuery, type PdfTextQuery, pdfRoute } from '../../schemas/ocr.js';
import { answerSubmission } from './job.js';
import { attachCallback, readUploads, singleUpload } from './uploads.js';

export default async function pdfRoutes(app: FastifyInstance, opts: { config: Config }) {
  app.post<{ Querystring: { dpi: number; pages?: string; wait?: number } & LangQuery & PdfTextQuery }>(
    '/ocr/pdf',
    { schema: pdfRoute(opts.config), onRequest: app.submissionRateLimit },
    async (request, reply) => {
      const { dpi, pages } = request.query;
      const language = resolveLanguage(request.query, opts.config);
      const uploads = await readUploads(request, 'file');
      // A zero-byte upload here is a PDF that cannot be opened (422), like a truncated one.
      const empty = uploads.length === 1 && uploads[0].field === 'file' && uploads[0].data.length === 0;
      if (empty) throw new ApiError('undecodable', 'The PDF is empty (0 bytes): nothing to open', uploads[0].filename);
      const upload = singleUpload(uploads, 'file');
      const input = await prepareInput(upload, 'pdf', dpi, opts.config, pages);
      await attachCallback(input, upload, opts.config);
      input.language = language;
      input.orientation = orientationOn(request.query, opts.config);
      input.pdfText = request.query.pdf_text ?? opts.config.pdfText;
      const submitted = await app.jobs.submit(input);
      const selected = input.pageList ? `, ${input.pageList.length} selected` : '';
      return answerSubmission(app, request, reply, submitted, request.query.wait, (job) => ({
        processing_dpi: dpi,
        message: `PDF with ${input.pages} page(s) accepted${selected}; poll /ocr/job/${job.id}`,
      }));
    },
  );
}
