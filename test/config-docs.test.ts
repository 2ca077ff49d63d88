// The settings are listed once, in src/config/settings.ts: env.example and the tables of
// docs/configuration.md and README.md must be what that schema renders, and every environment
// variable the service reads must be either a setting of the schema or, once, one of the "other
// variables" the docs list by hand.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { EnvSchema } from '../src/config.js';
import { SECTIONS } from '../src/config/settings.js';
import { compare, GENERATED, REGENERATE } from '../src/generated-docs.js';
import { ROOT } from '../src/models/manifest.js';

const names = Object.keys(EnvSchema.properties);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('settings: one schema', () => {
  for (const part of GENERATED.filter((p) => p.file !== 'docs/engine.md')) {
    it(`${part.file}${part.marker ? ` (${part.marker})` : ''} is what the schema renders`, () => {
      const { onDisk, rendered } = compare(part);
      assert.equal(onDisk, rendered, `${part.file} differs from src/config/settings.ts: ${REGENERATE}`);
    });
  }

  it('every variable is in one section of the schema, and fills at most one Config field', () => {
    const listed = SECTIONS.flatMap((s) => Object.keys(s.settings));
    assert.deepEqual(listed, names, 'a variable is in two sections (the schema keeps only one of them)');
    const keys = Object.values(EnvSchema.properties).flatMap((s) => ((s as { key?: string }).key ? [s.key] : []));
    assert.equal(new Set(keys).size, keys.length, 'two variables fill the same Config field');
    for (const [name, s] of Object.entries(EnvSchema.properties)) {
      assert.ok((s as { description?: string }).description, `${name} has no description`);
    }
  });

  it('each variable read elsewhere in src/ is documented once: in the schema or under "Other variables"', () => {
    const docs = readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');
    const other = docs.slice(docs.indexOf('## Other variables'));
    const otherNames = [...other.matchAll(/^\| `([A-Z0-9_]+)`/gm)].map((m) => m[1]);
    assert.ok(otherNames.length > 0, 'docs/configuration.md has no "Other variables" table');
    for (const name of otherNames)
      assert.ok(!names.includes(name), `${name} is in the schema and under Other variables`);
    const read = new Set<string>();
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/process\.env\.([A-Z0-9_]+)/g)) read.add(m[1]);
    }
    const undocumented = [...read].filter((n) => !names.includes(n) && !otherNames.includes(n));
    assert.deepEqual(undocumented, [], 'variables read in src/ but listed neither in the schema nor in the docs');
  });
});
