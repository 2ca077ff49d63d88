// POST /ocr/batch: many files, each its own job; one bad file does not fail the others.
import type { FastifyInstance } from 'fastify';

import type { Config } from '../../config.js';
import { ApiError } from '../../errors.js';
import { orientationOn, prepareInput } from '../../jobs/prepare.js';
import { resolveLanguage } from '../../lang/resolve.js';
import { type LangQuery, type PdfTextQuery, batchRoute } from '../../schemas/ocr.js';
import { attachCallback, readUploads } from './uploads.js';

const FIELDS = new Set(['files', 'files[]', 'file']);

export default async function batchRoutes(app: FastifyInstance, opts: { config: Config }) {
  const { config } = opts;
  app.post<{ Querystring: { dpi: number } & LangQuery & PdfTextQuery }>(
    '/ocr/batch',
    { schema: batchRoute(config), onRequest: app.submissionRateLimit },
    async (request, reply) => {
      const language = resolveLanguage(request.query, config);
      const uploads = (await readUploads(request, 'files')).filter((u) => FIELDS.has(u.field));
      if (!uploads.length)
        throw new ApiError('missing_file', "No files uploaded: send them in multipart field 'files'");
      const jobs = [];
      let created = 0;
      for (const up of uploads) {
        try {
          const input = await prepareInput(up, 'any', request.query.dpi, config);
          await attachCallback(input, up, config);
          input.language = language;
          input.orientation = orientationOn(request.query, config);
          if (input.kind === 'pdf') input.pdfText = request.query.pdf_text ?? config.pdfText;
          const job = await app.jobs.submit(input);
          jobs.push({
            filename: up.filename,
            job_id: job.id,
            status: 'processing',
            type: input.kind,
            file_size: job.fileSize,
          });
          created++;
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          jobs.push({ filename: up.filename, ...err.body() });
        }
      }
      const failed = uploads.length - created;
      return reply.code(202).send({
        jobs,
        summary: { total_files: uploads.length, jobs_created: created, failed_files: failed, success: failed === 0 },
        message: `${created} of ${uploads.length} file(s) accepted`,
      });
    },
  );
}
