// POST /ocr/image
import type { FastifyInstance } from 'fastify';

import type { Config } from '../../config.js';
import { orientationOn, prepareInput } from '../../jobs/prepare.js';
import { resolveLanguage } from '../../lang/resolve.js';
import { type LangQuery, imageRoute } from '../../schemas/ocr.js';
import { answerSubmission } from './job.js';
import { attachCallback, readUploads, singleUpload } from './uploads.js';

export default async function imageRoutes(app: FastifyInstance, opts: { config: Config }) {
  app.post<{ Querystring: LangQuery & { wait?: number } }>(
    '/ocr/image',
    { schema: imageRoute(opts.config), onRequest: app.submissionRateLimit },
    async (request, reply) => {
      const language = resolveLanguage(request.query, opts.config);
      const upload = singleUpload(await readUploads(request, 'file'), 'file');
      const input = await prepareInput(upload, 'image', opts.config.defaultDpi, opts.config);
      await attachCallback(input, upload, opts.config);
      input.language = language;
      input.orientation = orientationOn(request.query, opts.config);
      const submitted = await app.jobs.submit(input);
      return answerSubmission(app, request, reply, submitted, request.query.wait, (job) => ({
        message: `Image accepted; poll /ocr/job/${job.id}`,
      }));
    },
  );
}
