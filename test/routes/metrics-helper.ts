// Reading /metrics in tests: the exposition must parse with parse-prometheus-text-format (a port of
// Prometheus' own text parser); sample values are read from the sample lines themselves, since
// that parser drops the labels of histogram series.
import assert from 'node:assert/strict';

import type { FastifyInstance } from 'fastify';
import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';

export interface Exposition {
  text: string;
  families: MetricFamily[];
}

export async function scrape(app: FastifyInstance, headers: Record<string, string> = {}): Promise<Exposition> {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return { text: res.body, families: parsePrometheusTextFormat(res.body) };
}

/** Every sample line of `name` as { labels, value }. */
export function series(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** A counter/gauge value, or a histogram's count; 0 when the series is absent. */
export function sample(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  const family = e.families.find((f) => f.name === name);
  assert.ok(family, `metric family ${name} is exported`);
  const lineName = family.type === 'HISTOGRAM' ? `${name}_count` : name;
  const s = series(e.text, lineName).find((x) => Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s?.value ?? 0;
}
