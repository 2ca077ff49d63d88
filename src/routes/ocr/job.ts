// GET /ocr/job/:job_id and /ocr/job/:job_id/result (not rate limited).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
import type { Config } from '../../config.js';
import type { JobRecord } from '../../jobs/types.js';
import { waitForJob } from '../../jobs/wait.js';
import { jobDeleteRoute, jobResultRoute, jobStatusRoute } from '../../schemas/job.js';

type Params = { Params: { job_id: string } };
type ResultRequest = Params & {
  Querystring: {
    format: 'json' | 'txt' | 'md' | 'html' | 'csv' | 'pdf' | 'hocr' | 'alto';
    partial: boolean;
    table?: string;
    wait?: number;
  };
};

/** Holds the request up to `wait` seconds for the job to finish (`?wait=`); the record then. */
export async function awaitJob(
  app: FastifyInstance,
  request: FastifyRequest,
  job: JobRecord,
  wait: number | undefined,
): Promise<JobRecord> {
  if (!wait || job.status === 'completed' || job.status === 'failed') return job;
  return (await waitForJob(app.jobs, job.id, wait, () => request.raw.destroyed)) ?? job;
}

/** The JSON answer to a finished job: 200 with the result, or 422 with the job's error. */
export function sendFinished(reply: FastifyReply, job: JobRecord) {
  if (job.status === 'failed') {
    return reply.code(422).send({
      error: 'Processing failed',
      message: job.error?.message ?? 'Processing failed',
      code: job.error?.code ?? 'ocr_failed',
      filename: job.filename,
    });
  }
  return reply.code(200).send(resultBody(job));
}

/**
 * The answer to a submission: with `?wait=`, the job's result (200, or 422 when it failed) if it
 * finished in time; else 202 with the job id and the route's own fields (`accepted`).
 */
export async function answerSubmission(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  submitted: JobRecord,
  wait: number | undefined,
  accepted: (job: JobRecord) => Record<string, unknown>,
) {
  const job = await awaitJob(app, request, submitted, wait);
  if (wait && (job.status === 'completed' || job.status === 'failed')) return sendFinished(reply, job);
  return reply.code(202).send({
    job_id: job.id,
    status: 'processing',
    filename: job.filename,
    file_size: job.fileSize,
    ...accepted(job),
  });
}

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
  // One shape for every result: `text` and `pages[]` (with total_pages, failed_pages). The fields
  // each kind had before stay, deprecated in the OpenAPI document (PDF `full_text`; single-page
  // image `lines`, `blocks`, `width`, `height`, `language`, `model_set`, `rotation`).
  if (out.kind === 'pdf') {
    const { kind: _kind, ...rest } = out;
    return { ...common, text: out.full_text, ...rest };
  }
  const { kind: _kind, ...rest } = out;
  const pages = out.pages ?? [
    {
      page: 1,
      text: out.text,
      lines: out.lines,
      ...(out.blocks && { blocks: out.blocks }),
      ...(out.tables && { tables: out.tables }),
      success: out.success,
      ...(out.width !== undefined && { width: out.width, height: out.height }),
      ...(out.language !== undefined && { language: out.language }),
      ...(out.model_set !== undefined && { model_set: out.model_set }),
      ...(out.rotation !== undefined && { rotation: out.rotation }),
    },
  ];
  return { ...common, ...rest, pages, total_pages: pages.length, failed_pages: out.failed_pages ?? [] };
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

export default async function jobRoutes(app: FastifyInstance, opts: { config: Config }) {
  // With API keys on, another key's job answers exactly like an unknown one.
  async function find(id: string, request: FastifyRequest): Promise<JobRecord> {
    const job = await app.jobs.get(id);
    if (!job || !app.canReadJob(request, job))
      throw new ApiError('not_found', `Job ${id} not found (unknown or expired)`);
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

  app.delete<Params>('/ocr/job/:job_id', { schema: jobDeleteRoute }, async (request, reply) => {
    const job = await find(request.params.job_id, request);
    if (!(await app.jobs.delete(job.id)))
      throw new ApiError('not_found', `Job ${job.id} not found (unknown or expired)`);
    request.log.info({ job_id: job.id, status: job.status }, 'job deleted');
    return reply.code(204).send();
  });

  app.get<ResultRequest>('/ocr/job/:job_id/result', { schema: jobResultRoute(opts.config) }, async (request, reply) => {
    const { format, partial, wait } = request.query;
    let job = await find(request.params.job_id, request);
    job = await awaitJob(app, request, job, wait);
    if (job.status === 'failed') return sendFinished(reply, job);
    if (job.status !== 'completed') {
      const body = {
        job_id: job.id,
        status: job.status,
        ready: false,
        message: 'The job is still running; try again shortly',
        progress: job.progress,
      };
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
      if (body === undefined)
        throw new ApiError('not_found', `The result of job ${job.id} has no table ${request.query.table ?? '0'}`);
      reply.header('content-disposition', `inline; filename="${name}-table.csv"`);
      return reply.code(200).type('text/csv; charset=utf-8').send(body);
    }
    if (format === 'hocr' || format === 'alto') {
      const dpi = job.output!.kind === 'image' ? await imageDensity(await app.jobs.source(job.id)) : undefined;
      const xmlText = format === 'hocr' ? hocr(job.output!, job.filename, dpi) : alto(job.output!, job.filename, dpi);
      reply.header('content-disposition', `inline; filename="${name}.${format === 'hocr' ? 'hocr' : 'alto.xml'}"`);
      return reply
        .code(200)
        .type(format === 'hocr' ? 'text/html; charset=utf-8' : 'application/xml; charset=utf-8')
        .send(xmlText);
    }
    if (format === 'pdf') {
      const source = await app.jobs.source(job.id);
      const type = source && detectType(source);
      if (!source || !type) {
        throw new ApiError(
          'not_found',
          `The upload of job ${job.id} is no longer kept, so no PDF can be built; submit the file again`,
        );
      }
      const pdf = await buildSearchablePdf(source, type, job.output!); // in a bounded thread
      reply.header('content-disposition', `inline; filename="${name}.pdf"`).header('content-length', pdf.length);
      return reply.code(200).type('application/pdf').send(pdf.stream);
    }
    return sendFinished(reply, job);
  });
}
