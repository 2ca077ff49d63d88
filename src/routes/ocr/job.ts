// GET /ocr/job/:job_id and /ocr/job/:job_id/result (not rate limited).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import sharp from 'sharp';

import { ApiError } from '../../errors.js';
import { detectType } from '../../image/detect.js';
import { alto } from '../../output/alto.js';
import { csv, parseTableRef } from '../../output/csv.js';
import { hocr } from '../../output/hocr.js';
import { html } from '../../output/html.js';
import { markdown } from '../../output/markdown.js';
import { buildSearchablePdf } from '../../output/pdf-builder.js';
import { plainText } from '../../output/text.js';
import type { JobRecord } from '../../jobs/types.js';
import { jobResultRoute, jobStatusRoute } from '../../schemas/job.js';

type Params = { Params: { job_id: string } };
type ResultRequest = Params & { Querystring: { format: 'json' | 'txt' | 'md' | 'html' | 'csv' | 'pdf' | 'hocr' | 'alto'; partial: boolean; table?: string } };

const seconds = (r: JobRecord) => Math.round(((r.finishedAt ?? Date.now()) - (r.startedAt ?? r.createdAt)) / 10) / 100;

export function resultBody(r: JobRecord) {
  const out = r.output!;
  const common = {
    job_id: r.id,
    status: 'completed' as const,
    filename: r.filename,
    file_size: r.fileSize,
    cached: r.cached,
    processing_time_seconds: seconds(r),
  };
  if (out.kind === 'pdf') {
    const { kind: _kind, ...rest } = out;
    return { ...common, ...rest };
  }
  const { kind: _kind, ...rest } = out;
  return { ...common, ...rest };
}

/** An image upload's own resolution (header only), recorded in hOCR/ALTO; undefined when unknown. */
async function imageDensity(source: Buffer | undefined): Promise<number | undefined> {
  if (!source) return undefined;
  try {
    const { density } = await sharp(source).metadata();
    return density && density >= 1 ? Math.round(density) : undefined;
  } catch {
    return undefined;
  }
}

export default async function jobRoutes(app: FastifyInstance) {
  // With API keys on, another key's job answers exactly like an unknown one.
  async function find(id: string, request: FastifyRequest): Promise<JobRecord> {
    const job = await app.jobs.get(id);
    if (!job || !app.canReadJob(request, job)) throw new ApiError('not_found', `Job ${id} not found (unknown or expired)`);
    return job;
  }

  app.get<Params>('/ocr/job/:job_id', { schema: jobStatusRoute }, async (request, reply) => {
    const job = await find(request.params.job_id, request);
    const finished = job.status === 'completed' || job.status === 'failed';
    return reply.code(finished ? 200 : 202).send({
      job_id: job.id,
      status: job.status,
      ready: finished,
      successful: finished ? job.status === 'completed' : null,
      failed: finished ? job.status === 'failed' : null,
      progress: job.progress,
    });
  });

  app.get<ResultRequest>('/ocr/job/:job_id/result', { schema: jobResultRoute }, async (request, reply) => {
    const { format, partial } = request.query;
    const job = await find(request.params.job_id, request);
    if (job.status === 'failed') {
      return reply.code(422).send({ error: 'Processing failed', message: job.error?.message ?? 'Processing failed', filename: job.filename });
    }
    if (job.status !== 'completed') {
      const body = { job_id: job.id, status: job.status, ready: false, message: 'The job is still running; try again shortly', progress: job.progress };
      if (!partial) return reply.code(202).send(body);
      const pages = [...(job.partial ?? [])].sort((a, b) => a.page - b.page);
      return reply.code(202).send({ ...body, partial: true, pages });
    }
    const name = job.filename.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'result';
    if (format === 'txt') {
      reply.header('content-disposition', `inline; filename="${name}.txt"`);
      return reply.code(200).type('text/plain; charset=utf-8').send(plainText(job.output!));
    }
    if (format === 'md') {
      reply.header('content-disposition', `inline; filename="${name}.md"`);
      return reply.code(200).type('text/markdown; charset=utf-8').send(markdown(job.output!));
    }
    if (format === 'html') {
      reply.header('content-disposition', `inline; filename="${name}.html"`);
      return reply.code(200).type('text/html; charset=utf-8').send(html(job.output!, job.filename));
    }
    if (format === 'csv') {
      const ref = parseTableRef(request.query.table);
      const body = ref && csv(job.output!, ref);
      if (body === undefined) throw new ApiError('not_found', `The result of job ${job.id} has no table ${request.query.table ?? '0'}`);
      reply.header('content-disposition', `inline; filename="${name}-table.csv"`);
      return reply.code(200).type('text/csv; charset=utf-8').send(body);
    }
    if (format === 'hocr' || format === 'alto') {
      const dpi = job.output!.kind === 'image' ? await imageDensity(await app.jobs.source(job.id)) : undefined;
      const xmlText = format === 'hocr' ? hocr(job.output!, job.filename, dpi) : alto(job.output!, job.filename, dpi);
      reply.header('content-disposition', `inline; filename="${name}.${format === 'hocr' ? 'hocr' : 'alto.xml'}"`);
      return reply.code(200).type(format === 'hocr' ? 'text/html; charset=utf-8' : 'application/xml; charset=utf-8').send(xmlText);
    }
    if (format === 'pdf') {
      const source = await app.jobs.source(job.id);
      const type = source && detectType(source);
      if (!source || !type) {
        throw new ApiError('not_found', `The upload of job ${job.id} is no longer kept, so no PDF can be built; submit the file again`);
      }
      const pdf = await buildSearchablePdf(source, type, job.output!); // in a bounded thread
      reply.header('content-disposition', `inline; filename="${name}.pdf"`).header('content-length', pdf.length);
      return reply.code(200).type('application/pdf').send(pdf.stream);
    }
    return reply.code(200).send(resultBody(job));
  });
}
