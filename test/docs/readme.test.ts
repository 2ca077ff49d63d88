// The README stays a short entry point and the docs/ pages stay connected: a newcomer follows
// links, so a link to a moved file or a renamed section is a broken promise. The two commands
// at the top are what CI runs, so they must not drift from .ci/run.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { ROOT } from '../../src/models/manifest.js';

const README = path.join(ROOT, 'README.md');
const DOCS = path.join(ROOT, 'docs');
const PAGES = [
  'api',
  'configuration',
  'engine',
  'models',
  'layout',
  'operations',
  'scale-out',
  'security',
  'deploy',
  'testing',
  'benchmarks',
];
const START = './scripts/setup.sh && npm start';
const TEST = './scripts/setup.sh && npm test';

const markdownFiles = (): string[] => [
  README,
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(DOCS, f)),
];

/** Lines outside fenced code blocks (links and headings there are not rendered as such). */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').filter((line) => {
    if (line.startsWith('```')) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1, -2 for repeats. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(readFileSync(file, 'utf8'))) {
    const m = /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = m[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\- ]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

describe('README and docs/', () => {
  it('README.md is at most 300 lines', () => {
    const lines = readFileSync(README, 'utf8').replace(/\n$/, '').split('\n').length;
    assert.ok(lines <= 300, `README.md has ${lines} lines; move details to a docs/ page`);
  });

  it('README.md links every docs page, and each exists', () => {
    const text = readFileSync(README, 'utf8');
    for (const page of PAGES) {
      assert.ok(existsSync(path.join(DOCS, `${page}.md`)), `docs/${page}.md is missing`);
      assert.ok(text.includes(`](docs/${page}.md)`), `README.md does not link docs/${page}.md`);
    }
  });

  it('every relative link in README.md and docs/*.md points at an existing file and heading', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      for (const line of prose(readFileSync(file, 'utf8'))) {
        for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          const href = m[1];
          if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue; // http:, mailto:
          const [target, fragment] = href.split('#', 2);
          const resolved = target ? path.resolve(path.dirname(file), target) : file;
          const where = `${path.relative(ROOT, file)}: ${href}`;
          if (!existsSync(resolved)) broken.push(`${where} (no such file)`);
          else if (fragment && resolved.endsWith('.md') && !anchors(resolved).has(fragment))
            broken.push(`${where} (no such heading)`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('README.md gives the start and test commands verbatim, and .ci/run runs the test command', () => {
    const readme = prose(readFileSync(README, 'utf8')).join('\n');
    const block = /```sh\n([\s\S]*?)```/.exec(readFileSync(README, 'utf8'));
    assert.ok(block, 'README.md has no sh code block');
    const commands = block[1]
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter(Boolean);
    assert.deepEqual(commands, [START, TEST], 'the first sh block of README.md is exactly the two commands');
    assert.ok(readme.includes('.ci/run'), 'README.md says CI runs the test command');
    const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    assert.ok(ci.includes(TEST), `.ci/run does not run "${TEST}" verbatim`);
  });

  it('README.md and docs/ carry no issue numbers and no undated "this machine" figures', () => {
    for (const file of markdownFiles()) {
      const text = readFileSync(file, 'utf8');
      const rel = path.relative(ROOT, file);
      assert.doesNotMatch(text, /\bissues? #?\d+|\(#\d+\)/i, `${rel} names an issue number`);
      assert.doesNotMatch(text, /\bthis (shared )?(2-core )?machine\b/i, `${rel}: say which machine and when`);
    }
  });
});
