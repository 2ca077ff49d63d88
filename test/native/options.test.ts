// The engine options are listed once, in src/native/option-table.ts; the C++ side keeps its own
// defaults (native/ocr/options.h) and reads each option by name (native/binding/convert.cc). These
// tests read both files as text and hold them to the table, and the docs table to its render.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { compare, GENERATED, REGENERATE } from '../../src/generated-docs.js';
import { ROOT } from '../../src/models/manifest.js';
import { ENGINE_OPTIONS, type OptionSpec } from '../../src/native/option-table.js';
import { validateRecognizeOptions } from '../../src/native/options.js';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** A default as written in C++: `1 << 19`, `0.3f`, `0.f`, `true`. */
function cppValue(text: string): number | boolean {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  const shift = /^(\d+)\s*<<\s*(\d+)$/.exec(t);
  if (shift) return Number(shift[1]) * 2 ** Number(shift[2]);
  const n = Number(t.replace(/f$/, ''));
  assert.ok(Number.isFinite(n), `cannot read the C++ default "${t}"`);
  return n;
}

/** Every field of options.h as `det.limitSideLen` (member path of PipelineOptions) -> C++ type and default. */
function headerDefaults(): Map<string, { type: string; value: number | boolean }> {
  const structs = new Map<string, string>();
  for (const m of read('native/ocr/options.h').matchAll(/struct (\w+) \{([\s\S]*?)\n\};/g)) structs.set(m[1], m[2]);
  const out = new Map<string, { type: string; value: number | boolean }>();
  const walk = (struct: string, prefix: string) => {
    const body = structs.get(struct);
    assert.ok(body, `options.h has no struct ${struct}`);
    for (const m of body.matchAll(/^\s*(int|float|double|bool)\s+(\w+)\s*=\s*([^;]+);/gm)) {
      out.set(prefix + m[2], { type: m[1], value: cppValue(m[3]) });
    }
    for (const m of body.matchAll(/^\s*(\w+Options)\s+(\w+);/gm)) walk(m[1], `${prefix}${m[2]}.`);
  };
  walk('PipelineOptions', '');
  return out;
}

/** ToPipelineOptions in convert.cc: JS name -> how it is read (Num/Bool) and the member it sets. */
function bindingNames(): { js: string; reader: string; member: string }[] {
  const cc = read('native/binding/convert.cc');
  const body = /ocr::PipelineOptions ToPipelineOptions\([\s\S]*?\n\}/.exec(cc);
  assert.ok(body, 'convert.cc has no ToPipelineOptions');
  return [...body[0].matchAll(/(Num|Bool)\(o, "(\w+)", p\.([\w.]+)\);/g)].map((m) => ({
    reader: m[1],
    js: m[2],
    member: m[3],
  }));
}

const table = Object.entries(ENGINE_OPTIONS) as [string, OptionSpec][];

describe('engine options: one table', () => {
  it('convert.cc reads each option of the table once, and no other', () => {
    const names = bindingNames().map((b) => b.js);
    assert.equal(new Set(names).size, names.length, 'an option is read twice in convert.cc');
    assert.deepEqual([...names].sort(), table.map(([name]) => name).sort());
  });

  it("each option's type and default are the C++ engine's (options.h)", () => {
    const header = headerDefaults();
    const CPP_TYPES = { int: ['int'], number: ['float', 'double'], bool: ['bool'] };
    const wrong: string[] = [];
    for (const { js, reader, member } of bindingNames()) {
      const spec = ENGINE_OPTIONS[js as keyof typeof ENGINE_OPTIONS] as OptionSpec;
      const cpp = header.get(member);
      if (!cpp) {
        wrong.push(`${js}: options.h has no field ${member}`);
        continue;
      }
      if (!CPP_TYPES[spec.type].includes(cpp.type))
        wrong.push(`${js}: ${spec.type} here, ${cpp.type} ${member} in C++`);
      if ((reader === 'Bool') !== (spec.type === 'bool')) wrong.push(`${js}: read with ${reader} in convert.cc`);
      if (cpp.value !== spec.default) wrong.push(`${js}: default ${spec.default} here, ${cpp.value} in options.h`);
    }
    assert.deepEqual(wrong, []);
  });

  it('each numeric default lies within its bounds', () => {
    for (const [name, s] of table) {
      if (s.type === 'bool') continue;
      assert.ok(s.min !== undefined && s.max !== undefined, `${name} has no bounds`);
      assert.ok(s.min <= (s.default as number) && (s.default as number) <= s.max, `${name}: default out of bounds`);
    }
  });

  it('validation follows the table: type, integer, bounds, unknown names', () => {
    assert.deepEqual(validateRecognizeOptions({ detThresh: 0.5, useClassifier: true }), {
      detThresh: 0.5,
      useClassifier: true,
    });
    assert.throws(
      () => validateRecognizeOptions({ orientationLines: 65 }),
      /^RangeError: Expected options\.orientationLines between 1 and 64 but received 65$/,
    );
    assert.throws(
      () => validateRecognizeOptions({ detMinSize: 2.5 }, 'defaults'),
      /Expected integer for defaults\.detMinSize but received 2\.5/,
    );
    assert.throws(() => validateRecognizeOptions({ trace: 1 }), /Expected boolean for options\.trace but received 1/);
    assert.throws(
      () => validateRecognizeOptions({ spaceBias: 'x' }),
      /Expected number for options\.spaceBias but received "x"/,
    );
    assert.throws(() => validateRecognizeOptions({ nope: 1 }), /Unknown option options\.nope/);
  });

  it(`the options table of docs/engine.md is the table's render (else ${REGENERATE})`, () => {
    const part = GENERATED.find((p) => p.marker === 'options');
    assert.ok(part);
    const { onDisk, rendered } = compare(part);
    assert.equal(onDisk, rendered, `${part.file} differs from src/native/option-table.ts: ${REGENERATE}`);
  });
});
