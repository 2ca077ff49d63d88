// GET /ocr/job/:job_id and /ocr/job/:job_id/result (not rate limited).
import type { FastifyInstance } from 'fastify';

import { ApiError } from '../../errors.js';
import type { JobRecord } from '../../jobs/types.js';
import { jobResultRoute, jobStatusRoute } from '../../schemas/job.js';

type Params = { Params: { job_id: string } };

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

export default async function jobRoutes(app: FastifyInstance) {
  async function find(id: string): Promise<JobRecord> {
    const job = await app.jobs.get(id);
    if (!job) throw new ApiError('not_found', `Job ${id} not found (unknown or expired)`);
    return job;
  }

  app.get<Params>('/ocr/job/:job_id', { schema: jobStatusRoute }, async (request, reply) => {
    const job = await find(request.params.job_id);
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

  app.get<Params>('/ocr/job/:job_id/result', { schema: jobResultRoute }, async (request, reply) => {
    const job = await find(request.params.job_id);
    if (job.status === 'failed') {
      return reply.code(422).send({ error: 'Processing failed', message: job.error?.message ?? 'Processing failed', filename: job.filename });
    }
    if (job.status !== 'completed') {
      return reply.code(202).send({ job_id: job.id, status: job.status, ready: false, message: 'The job is still running; try again shortly' });
    }
    return reply.code(200).send(resultBody(job));
  });
}
