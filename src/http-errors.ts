// Error bodies the router and the schema validator produce, in the API's own words: a failed
// enum lists its allowed values once (Ajv reports one `const` failure per literal of a union),
// and a known path asked with the wrong method is a 405 naming the methods it takes.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const WHERE: Record<string, string> = {
  querystring: 'Query parameter',
  params: 'Path parameter',
  body: 'Body field',
  headers: 'Header',
};

/** One message for a failed schema validation, naming the parameter, what it received and what it takes. */
export function validationMessage(errors: AjvError[], context: string | undefined, request: FastifyRequest): string {
  const where = WHERE[context ?? ''] ?? 'Parameter';
  const source = (context === 'querystring' ? request.query : context === 'params' ? request.params : undefined) as
    Record<string, unknown> | undefined;
  const first = errors[0];
  if (!first) return 'The request is not valid';
  if (first.keyword === 'required') return `${where} '${String(first.params.missingProperty)}' is required`;
  const name = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const received = source && name in source ? ` (received ${JSON.stringify(String(source[name]).slice(0, 40))})` : '';
  const same = errors.filter((e) => e.instancePath === first.instancePath);
  const allowed = same.flatMap((e) =>
    e.keyword === 'const'
      ? [e.params.allowedValue]
      : e.keyword === 'enum'
        ? ((e.params.allowedValues as unknown[]) ?? [])
        : [],
  );
  if (allowed.length)
    return `${where} '${name}' must be one of: ${[...new Set(allowed.map(String))].join(', ')}${received}`;
  return `${where} '${name}' ${first.message ?? 'is not valid'}${received}`;
}

/** The methods each registered path answers, for 405 + Allow on the others. */
export function methodIndex(app: FastifyInstance): (url: string) => string[] {
  const routes: { re: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = [route.method].flat().map(String);
    const pattern = route.url
      .split('/')
      .map((part) =>
        part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    routes.push({ re: new RegExp(`^${pattern}/?$`), methods });
  });
  return (url: string) => {
    const path = url.split('?')[0];
    const found = new Set<string>();
    for (const r of routes) if (r.re.test(path)) for (const m of r.methods) found.add(m);
    return [...found].sort();
  };
}
