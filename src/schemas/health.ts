// Schemas of /health, /health/ready, /health/alive.
import { Type } from '@sinclair/typebox';

const Status = Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]);

export const HealthBody = Type.Object({
  status: Status,
  service: Type.String(),
  timestamp: Type.String({ format: 'date-time' }),
  version: Type.String(),
  ocr_service: Type.Object({
    service: Type.String(),
    initialized: Type.Boolean(),
    engine_available: Type.Boolean(),
    execution_provider: Type.String(),
    gpu_device: Type.Union([Type.Integer(), Type.Null()], {
      description: 'CUDA device of the engine (OCR_GPU_DEVICE); null on the CPU',
    }),
    model_set: Type.String(),
    status: Type.String(),
    memory_usage: Type.Object({
      rss: Type.Number(),
      vms: Type.Number(),
      rss_mb: Type.Number(),
      vms_mb: Type.Number(),
      percent: Type.Number({ description: 'rss as a percentage of the cgroup memory limit, else of system memory' }),
    }),
  }),
  queue: Type.Object({
    queued: Type.Integer(),
    processing: Type.Integer(),
    capacity: Type.Integer(),
    accepting: Type.Boolean(),
    pool_queued: Type.Integer(),
  }),
  workers: Type.Object({
    threads: Type.Integer({ description: 'OCR worker threads (on a GPU: the CPU feeders around the one GPU session)' }),
    threads_per_worker: Type.Integer(),
    spinning: Type.Boolean({ description: "ONNX Runtime's intra-op threads spin between operators (OCR_SPINNING)" }),
    utilization: Type.Number(),
  }),
  checks: Type.Object({
    ocr_service_initialized: Type.Boolean(),
    engine_available: Type.Boolean(),
    memory_usage: Type.Boolean(),
    configuration_loaded: Type.Boolean(),
  }),
  details: Type.Object({ service_status: Type.String(), recommendations: Type.Array(Type.String()) }),
});

export const healthRoute = { summary: 'Service health', tags: ['health'], response: { 200: HealthBody } };

const Probe = Type.Object({ status: Type.String(), message: Type.Optional(Type.String()) });
export const readyRoute = {
  summary: 'Readiness: models loaded and the queue accepts work',
  tags: ['health'],
  response: { 200: Probe, 503: Probe },
};
export const aliveRoute = {
  summary: 'Liveness: the process answers, and its OCR threads finish pages while they have work (STALL_TIMEOUT)',
  tags: ['health'],
  response: { 200: Probe, 503: Probe },
};
