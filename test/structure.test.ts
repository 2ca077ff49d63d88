// The import structure of src/ (docs/STYLE.md): no import cycle, and no module but the app
// (src/app.ts) reaches into the Fastify plugins that wrap the services (src/jobs, src/pool, ...). Every
// relative import counts, type-only and dynamic ones included: a type-only cycle is still a knot
// a reader has to untie, and the next value import along it makes it a load-order bug.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The only modules that may import src/plugins: the app that registers them, and the plugins. */
const PLUGIN_USERS = ['src/app.ts', 'src/plugins/'];

/** Every .ts file under dir, as a repository-relative path with forward slashes. */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/**
 * The files of src/ a file imports: static imports and re-exports (type-only too) and import('...')
 * with a literal, as the TypeScript scanner finds them (not in comments or strings). A specifier
 * ending in .js names the .ts source beside it; one outside src/ or not relative is left out.
 */
function importsOf(file: string, known: Set<string>): string[] {
  const info = ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true);
  const out = new Set<string>();
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
    const target = [base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`].find((c) => known.has(c));
    if (target) out.add(target);
  }
  return [...out].sort();
}

function graph(): Map<string, string[]> {
  const files = sources('src').sort();
  const known = new Set(files);
  return new Map(files.map((f) => [f, importsOf(f, known)]));
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function knots(g: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || g.get(v)!.includes(v)) out.push(scc.sort());
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return out;
}

/**
 * The elementary cycles inside one component, each from its first file in sorted order and ending
 * where it began, at most `limit` of them (a large knot has too many to be worth listing).
 */
function cyclesIn(g: Map<string, string[]>, scc: string[], limit = 20): string[][] {
  const members = new Set(scc);
  const out: string[][] = [];
  for (const start of scc) {
    const walk = (v: string, trail: string[]) => {
      for (const w of g.get(v)!) {
        if (out.length >= limit) return;
        if (w === start) out.push([...trail, start]);
        else if (members.has(w) && w > start && !trail.includes(w)) walk(w, [...trail, w]);
      }
    };
    walk(start, [start]);
  }
  return out;
}

const strip = (f: string) => f.replace(/^src\//, '');

test('the scan sees src/: files and their imports are found', () => {
  const g = graph();
  assert.ok(g.size > 50, `only ${g.size} files under ${ROOT}src`);
  assert.ok(g.get('src/server.ts')?.includes('src/app.ts'), 'src/server.ts imports src/app.ts');
});

test('src/ has no import cycle', () => {
  const g = graph();
  const found = knots(g).map((scc) => ({ scc, cycles: cyclesIn(g, scc) }));
  const report = found.map(({ scc, cycles }) =>
    [
      `files importing each other: ${scc.map(strip).join(', ')}`,
      ...cycles.map((c) => `    ${c.map(strip).join(' -> ')}`),
    ].join('\n'),
  );
  assert.equal(found.length, 0, `import cycles in src/ (paths relative to src/):\n  ${report.join('\n  ')}`);
});

test('only the app imports src/plugins: services, routes and entry points do not', () => {
  const g = graph();
  const violations = [...g]
    .filter(([file]) => !PLUGIN_USERS.some((p) => file.startsWith(p)))
    .flatMap(([file, deps]) => deps.filter((d) => d.startsWith('src/plugins/')).map((d) => `${file} imports ${d}`));
  assert.equal(
    violations.length,
    0,
    `services import the Fastify plugins that wrap them; move what they need beside the service:\n  ${violations.join('\n  ')}`,
  );
});
