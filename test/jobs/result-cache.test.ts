import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MemoryResultCache, cacheKey } from '../../src/jobs/result-cache.js';
import type { JobOutput } from '../../src/jobs/types.js';

const out = (text: string): JobOutput => ({ kind: 'image', text, lines: [], success: true });

test('the key changes with everything that changes the output', () => {
  const bytes = Buffer.from('abc');
  const base = { kind: 'pdf', dpi: 300, modelSet: 'pp-ocrv4', lang: 'en' };
  const k = cacheKey(bytes, base);
  assert.equal(k, cacheKey(Buffer.from('abc'), base));
  assert.notEqual(k, cacheKey(Buffer.from('abd'), base));
  assert.notEqual(k, cacheKey(bytes, { ...base, dpi: 200 }));
  assert.notEqual(k, cacheKey(bytes, { ...base, kind: 'image' }));
  assert.notEqual(k, cacheKey(bytes, { ...base, modelSet: 'other' }));
  assert.notEqual(k, cacheKey(bytes, { ...base, lang: 'ch' }));
});

test('the LRU stays within its byte budget and evicts the least recently used', async () => {
  const one = Buffer.byteLength(JSON.stringify(out('x'.repeat(100)))) + 1;
  const cache = new MemoryResultCache({ maxBytes: one * 2 + 1, ttlSeconds: 60 });
  await cache.set('a', out('a'.repeat(100)));
  await cache.set('b', out('b'.repeat(100)));
  assert.ok(await cache.get('a')); // a is now the most recent
  await cache.set('c', out('c'.repeat(100)));
  assert.ok(await cache.get('a'));
  assert.equal(await cache.get('b'), undefined);
  assert.ok(await cache.get('c'));
  assert.ok(cache.stats().bytes <= one * 2 + 1);
});

test('entries larger than the budget are not stored; TTL expires entries', async () => {
  const cache = new MemoryResultCache({ maxBytes: 50, ttlSeconds: 60 });
  await cache.set('big', out('x'.repeat(100)));
  assert.equal(await cache.get('big'), undefined);
  const short = new MemoryResultCache({ maxBytes: 1e6, ttlSeconds: 0.05 });
  await short.set('k', out('v'));
  assert.ok(await short.get('k'));
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(await short.get('k'), undefined);
});
