// deploy/compose.yaml as `docker run` arguments: the stack test runs the same images, commands,
// environment, volumes and ports as Compose would (no Compose plugin on these machines), on one
// Docker network with each service reachable by its name.
import path from 'node:path';
import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

import { ROOT } from './docker.js';

export const COMPOSE_FILE = path.join(ROOT, 'deploy', 'compose.yaml');

interface Service {
  image: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test?: string[]; disable?: boolean };
}

/** `${VAR:-default}` and `${VAR}` as Compose interpolates them. */
function interpolate(s: string, env: Record<string, string | undefined>): string {
  return s.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name: string, def?: string) => env[name] || def || '');
}

export function composeServices(env: Record<string, string | undefined> = process.env): Record<string, Service> {
  const doc = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const out: Record<string, Service> = {};
  for (const [name, s] of Object.entries(doc.services)) {
    out[name] = {
      ...s,
      image: interpolate(s.image, env),
      ports: s.ports?.map((p) => interpolate(p, env)),
      environment: s.environment && Object.fromEntries(Object.entries(s.environment).map(([k, v]) => [k, String(v)])),
    };
  }
  return out;
}

/** `docker run` arguments of one replica of a service (container name, network alias, -e, -v, -p, image, command). */
export function runArgs(
  services: Record<string, Service>,
  name: string,
  o: { container: string; network: string; volumePrefix: string; extraEnv?: Record<string, string> },
): string[] {
  const s = services[name];
  const args = ['run', '-d', '--name', o.container, '--network', o.network, '--network-alias', name];
  for (const [k, v] of Object.entries({ ...s.environment, ...o.extraEnv })) args.push('-e', `${k}=${v}`);
  for (const v of s.volumes ?? []) {
    const [src, ...rest] = v.split(':');
    const host = src.startsWith('.') ? path.resolve(path.dirname(COMPOSE_FILE), src) : `${o.volumePrefix}-${src}`;
    args.push('-v', [host, ...rest].join(':'));
  }
  for (const p of s.ports ?? []) args.push('-p', p);
  args.push(s.image, ...(s.command ?? []));
  return args;
}
