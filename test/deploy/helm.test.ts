// The Helm chart, offline: helm lint, helm template with the default values and with the GPU
// example, every rendered object validated against the Kubernetes (and KEDA, Prometheus Operator)
// API schemas with kubernetes-models, and what matters asserted. No API server runs here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Queue, Worker } from 'bullmq';
import { parse } from 'yaml';

import { MemoryResultCache } from '../../src/jobs/result-cache.js';
import { RedisBlobStore } from '../../src/jobs/blob-store.js';
import { Keys, OCR_QUEUE, createRedis } from '../../src/jobs/redis/connection.js';
import { RedisJobQueue } from '../../src/jobs/redis/queue.js';
import { build } from '../helper.js';
import { RedisServer } from '../redis/redis-server.js';
import { CHART, type K8sObject, helm, render } from './helm.js';

const GPU_VALUES = path.join(CHART, '..', 'examples', 'values-gpu.yaml');
const values = parse(readFileSync(path.join(CHART, 'values.yaml'), 'utf8'));

async function validate(o: K8sObject): Promise<void> {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  const mod =
    group === 'keda.sh'
      ? `@kubernetes-models/keda/keda.sh/${version}/${o.kind}`
      : group === 'monitoring.coreos.com'
        ? `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${o.kind}`
        : `kubernetes-models/${o.apiVersion}/${o.kind}`;
  const Model = ((await import(mod)) as Record<string, new (o: unknown) => { validate(): void }>)[o.kind];
  assert.ok(Model, `no model for ${o.apiVersion} ${o.kind}`);
  try {
    new Model(o).validate();
  } catch (err) {
    throw new Error(
      `${o.kind} ${o.metadata.name} is not a valid ${o.apiVersion} ${o.kind}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

const find = (objs: K8sObject[], kind: string, suffix: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name.endsWith(suffix));
  assert.ok(o, `${kind} *${suffix} rendered`);
  return o;
};
const podSpecs = (objs: K8sObject[]) =>
  objs.flatMap((o) =>
    o.kind === 'Pod' ? [{ o, spec: o.spec }] : o.spec?.template?.spec ? [{ o, spec: o.spec.template.spec }] : [],
  );

describe('helm chart', () => {
  let defaults: K8sObject[];
  let gpu: K8sObject[];
  let everything: K8sObject[];
  before(async () => {
    defaults = await render();
    gpu = await render(['-f', GPU_VALUES]);
    everything = await render([
      '--set',
      'ingress.enabled=true,metrics.serviceMonitor.enabled=true,autoscaling.passwordSecret.name=r,autoscaling.passwordSecret.key=p',
    ]);
  });

  it('passes helm lint (strict) with the default values and with the GPU example', async () => {
    await helm(['lint', '--strict', CHART]);
    await helm(['lint', '--strict', CHART, '-f', GPU_VALUES]);
  });

  it('renders only objects valid against their API schemas', async () => {
    for (const objs of [defaults, gpu, everything]) for (const o of objs) await validate(o);
    const kinds = new Set(everything.map((o) => o.kind));
    for (const k of [
      'Deployment',
      'Service',
      'Ingress',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'StatefulSet',
      'ScaledObject',
      'TriggerAuthentication',
      'NetworkPolicy',
      'ServiceMonitor',
      'ConfigMap',
      'Secret',
      'ServiceAccount',
      'Pod',
    ])
      assert.ok(kinds.has(k), k);
  });

  it('values.schema.json rejects bad values', async () => {
    for (const bad of [
      'worker.gpu.count=0',
      'config.SHUTDOWN_GRACE=soon',
      'api.service.port=70000',
      'podSecurityContext.runAsNonRoot=false',
      'workers.replicas=2',
    ]) {
      await assert.rejects(
        helm(['template', 'x', CHART, '--set', bad]),
        /schema|values don't meet|additional properties|Additional property/i,
        bad,
      );
    }
    await assert.rejects(
      helm([
        'template',
        'x',
        CHART,
        '--set',
        'redis.builtin.enabled=false,redis.external.enabled=true,redis.external.url=redis://r:6379',
      ]),
      /redisAddress/,
    );
  });

  it('GPU resources, node selection and tolerations go to the workers only, and only with the GPU values', () => {
    const gpuWorker = find(gpu, 'Deployment', '-worker').spec.template.spec;
    const c = gpuWorker.containers[0];
    assert.equal(c.resources.limits['nvidia.com/gpu'], 1);
    assert.match(c.image, /-cuda$/);
    assert.ok(c.env.some((e: { name: string; value: string }) => e.name === 'USE_GPU' && e.value === 'true'));
    assert.ok(gpuWorker.tolerations.some((t: { key: string }) => t.key === 'nvidia.com/gpu'));
    assert.ok(Object.keys(gpuWorker.nodeSelector).length > 0);
    assert.equal(gpuWorker.runtimeClassName, 'nvidia');
    assert.ok(gpuWorker.affinity);
    for (const { o, spec } of podSpecs(gpu)) {
      if (o.metadata.name.endsWith('-worker')) continue;
      for (const ct of spec.containers)
        assert.equal(ct.resources?.limits?.['nvidia.com/gpu'], undefined, o.metadata.name);
      assert.equal(spec.tolerations, undefined, `${o.metadata.name} tolerates nothing`);
      assert.equal(spec.runtimeClassName, undefined, o.metadata.name);
    }
    for (const { o, spec } of podSpecs(defaults)) {
      for (const ct of spec.containers)
        assert.equal(JSON.stringify(ct.resources ?? {}).includes('nvidia.com/gpu'), false, o.metadata.name);
      assert.equal(spec.tolerations, undefined, o.metadata.name);
    }
    const cpuWorker = find(defaults, 'Deployment', '-worker').spec.template.spec.containers[0];
    assert.ok(cpuWorker.env.some((e: { name: string; value: string }) => e.name === 'USE_GPU' && e.value === 'false'));
    assert.doesNotMatch(cpuWorker.image, /cuda/);
  });

  it('worker containers probe their own port (METRICS_PORT): startup and liveness on /health/alive, readiness on /health/ready, GPU values too', () => {
    for (const objs of [defaults, gpu]) {
      const c = find(objs, 'Deployment', '-worker').spec.template.spec.containers[0];
      const env = (name: string) => c.env.find((e: { name: string }) => e.name === name)?.value;
      assert.equal(c.ports[0].name, 'http');
      assert.equal(String(c.ports[0].containerPort), env('METRICS_PORT'));
      assert.ok(Number(env('STALL_TIMEOUT')) > 120, 'STALL_TIMEOUT above PAGE_TIMEOUT (120 s)');
      assert.deepEqual(
        ['startupProbe', 'readinessProbe', 'livenessProbe'].map((p) => [c[p].httpGet.path, c[p].httpGet.port]),
        [
          ['/health/alive', 'http'],
          ['/health/ready', 'http'],
          ['/health/alive', 'http'],
        ],
      );
    }
  });

  it('every pod runs as a non-root user, without privilege escalation, capabilities or a writable root', () => {
    for (const objs of [defaults, gpu]) {
      for (const { o, spec } of podSpecs(objs)) {
        assert.equal(spec.securityContext?.runAsNonRoot, true, o.metadata.name);
        assert.ok(spec.securityContext.runAsUser > 0, o.metadata.name);
        for (const c of spec.containers) {
          assert.equal(c.securityContext?.allowPrivilegeEscalation, false, `${o.metadata.name}/${c.name}`);
          assert.equal(c.securityContext.readOnlyRootFilesystem, true, `${o.metadata.name}/${c.name}`);
          assert.deepEqual(c.securityContext.capabilities.drop, ['ALL'], `${o.metadata.name}/${c.name}`);
        }
      }
      for (const name of ['-api', '-worker']) {
        const spec = find(objs, 'Deployment', name).spec.template.spec;
        assert.equal(spec.securityContext.runAsUser, 10001);
        const tmp = spec.containers[0].volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
        assert.ok(
          tmp && spec.volumes.find((v: { name: string; emptyDir?: unknown }) => v.name === tmp.name)?.emptyDir,
          `${name}: /tmp is an emptyDir`,
        );
      }
    }
  });

  it('pods get longer than SHUTDOWN_GRACE to drain, and the API replicas run no OCR', () => {
    for (const objs of [defaults, gpu]) {
      const cm = find(objs, 'ConfigMap', 'ocr-service');
      const grace = Number(cm.data!.SHUTDOWN_GRACE);
      for (const name of ['-api', '-worker']) {
        const spec = find(objs, 'Deployment', name).spec.template.spec;
        assert.ok(
          spec.terminationGracePeriodSeconds > grace + 10,
          `${name}: ${spec.terminationGracePeriodSeconds} s vs grace ${grace} s + 10 s hard exit`,
        );
      }
      const api = find(objs, 'Deployment', '-api').spec.template.spec.containers[0];
      assert.ok(
        api.env.some((e: { name: string; value: string }) => e.name === 'WORKER_IN_PROCESS' && e.value === 'false'),
      );
      assert.deepEqual(find(objs, 'Deployment', '-worker').spec.template.spec.containers[0].args, [
        'npm',
        'run',
        'worker',
      ]);
    }
  });

  it('the Ingress allows uploads up to MAX_CONTENT_LENGTH and times out with REQUEST_TIMEOUT', () => {
    const ing = find(everything, 'Ingress', 'ocr-service');
    const a = ing.metadata.annotations!;
    const mib = Number(/^(\d+)m$/.exec(a['nginx.ingress.kubernetes.io/proxy-body-size'])?.[1]);
    assert.ok(mib * 1048576 >= Number(values.config.MAX_CONTENT_LENGTH), `${mib} MiB`);
    assert.equal(a['nginx.ingress.kubernetes.io/proxy-read-timeout'], values.config.REQUEST_TIMEOUT);
    assert.equal(a['nginx.ingress.kubernetes.io/proxy-send-timeout'], values.config.REQUEST_TIMEOUT);
    const sm = find(everything, 'ServiceMonitor', '-api');
    assert.equal(sm.spec.endpoints[0].path, '/metrics');
    assert.equal(
      defaults.some((o) => o.kind === 'ServiceMonitor'),
      false,
      'the ServiceMonitor is off by default',
    );
  });

  it('the helm test hook OCRs the bundled page through the API Service', () => {
    const pod = find(defaults, 'Pod', '-test');
    assert.equal(pod.metadata.annotations!['helm.sh/hook'], 'test');
    const c = pod.spec.containers[0];
    const svc = find(defaults, 'Service', '-api');
    const url = c.env.find((e: { name: string }) => e.name === 'OCR_URL').value;
    assert.equal(url, `http://${svc.metadata.name}:${svc.spec.ports[0].port}`);
    const cm = find(defaults, 'ConfigMap', '-test');
    assert.ok(String(cm.data!['helm-test.mjs']).includes('/ocr/image'));
    assert.ok(
      Buffer.from(String((cm as { binaryData?: Record<string, string> }).binaryData!['test-page.png']), 'base64')
        .subarray(1, 4)
        .toString() === 'PNG',
    );
  });
});

describe('chart against the code', () => {
  let app: Awaited<ReturnType<typeof build>>;
  let redis: RedisServer;
  before(async () => {
    app = await build(null);
    redis = await RedisServer.start();
  });
  after(async () => {
    await app.close();
    await redis.stop();
  });

  it('probe paths of the API Deployment are routes of the API that answer 200', async () => {
    const spec = find(await render(), 'Deployment', '-api').spec.template.spec.containers[0];
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const p = spec[probe].httpGet;
      assert.equal(p.port, 'http');
      const res = await app.inject({ method: 'GET', url: p.path });
      assert.equal(res.statusCode, 200, `${probe} ${p.path}`);
    }
  });

  it("the KEDA triggers read the very lists BullMQ keeps the code's waiting and running jobs in", async () => {
    const prefix = 'chart-test';
    const so = find(await render(['--set', `config.REDIS_PREFIX=${prefix}`]), 'ScaledObject', '-worker');
    const list = (name: string) =>
      so.spec.triggers.find((t: { name: string }) => t.name === name).metadata.listName as string;
    // The code's own key names: a BullMQ Queue named as the code names it, under the same prefix.
    const conn = createRedis(redis.url, 'worker');
    const probe = new Queue(OCR_QUEUE, { connection: conn, prefix });
    assert.equal(list('waiting'), probe.toKey('wait'));
    assert.equal(list('active'), probe.toKey('active'));
    // And the real thing: a submission through the code's queue lands in that list.
    const keys = new Keys(prefix);
    const producer = createRedis(redis.url, 'producer');
    const q = new RedisJobQueue({
      redis: producer,
      keys,
      cache: new MemoryResultCache({ maxBytes: 1 << 20, ttlSeconds: 60 }),
      blobs: new RedisBlobStore(conn, keys),
      queueMax: 10,
      resultTtlSeconds: 60,
      attempts: 1,
      backoffMs: 100,
      cacheParts: { modelSet: 'pp-ocrv4', lang: 'en' },
    });
    await q.waitUntilReady();
    await q.submit({ kind: 'image', type: 'png', filename: 'a.png', bytes: Buffer.from('not really a png'), pages: 1 });
    assert.equal(await conn.llen(list('waiting')), 1, `${list('waiting')} holds the waiting job`);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let taken!: () => void;
    const running = new Promise<void>((r) => (taken = r));
    const workerConn = createRedis(redis.url, 'worker');
    const w = new Worker(OCR_QUEUE, async () => (taken(), held), { connection: workerConn, prefix });
    try {
      await running;
      assert.equal(await conn.llen(list('waiting')), 0);
      assert.equal(await conn.llen(list('active')), 1, `${list('active')} holds the running job`);
    } finally {
      release();
      await w.close();
      await q.close();
      await probe.close();
      workerConn.disconnect();
      producer.disconnect();
      conn.disconnect();
    }
  });
});
