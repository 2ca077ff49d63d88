// POST /ocr/pdf?dpi=300
import type { FastifyInstance } from 'fastify';

import type { Config } from '../../config.js';
import { prepareInput } from '../../jobs/prepare.js';
import { pdfRoute } from '../../schemas/ocr.js';
import { readUploads, singleUpload } from './uploads.js';

export default async function pdfRoutes(app: FastifyInstance, opts: { config: Config }) {
  app.post<{ Querystring: { dpi: number } }>(
    '/ocr/pdf',
    { schema: pdfRoute(opts.config), onRequest: app.submissionRateLimit },
    async (request, reply) => {
      const { dpi } = request.query;
      const upload = singleUpload(await readUploads(request, 'file'), 'file');
      const input = await prepareInput(upload, 'pdf', dpi, opts.config);
      const job = await app.jobs.submit(input);
      return reply.code(202).send({
        job_id: job.id,
        status: 'processing',
        filename: job.filename,
        file_size: job.fileSize,
        processing_dpi: dpi,
        message: `PDF with ${input.pages} page(s) accepted; poll /ocr/job/${job.id}`,
      });
    },
  );
}
