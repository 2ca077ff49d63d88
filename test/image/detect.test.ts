import assert from 'node:assert/strict';
import { test } from 'node:test';

import { detectType } from '../../src/image/detect.js';
import { encodeBmp } from '../fixtures/bmp.js';
import { textImage, textPixels } from '../helper.js';

test('types come from the content bytes', async () => {
  for (const f of ['png', 'jpeg', 'webp', 'gif', 'tiff'] as const) {
    assert.equal(detectType(await textImage('x', f)), f);
  }
  assert.equal(detectType(encodeBmp(await textPixels('x', 40), 24)), 'bmp');
  assert.equal(detectType(Buffer.from('%PDF-1.7\n%âãÏÓ\n')), 'pdf');
  assert.equal(detectType(Buffer.from('\n\n%PDF-1.4')), 'pdf');
});

test('unknown and truncated content has no type', () => {
  assert.equal(detectType(Buffer.alloc(0)), undefined);
  assert.equal(detectType(Buffer.from('hello world')), undefined);
  assert.equal(detectType(Buffer.from([0x89, 0x50])), undefined);
  assert.equal(detectType(Buffer.from('BM')), undefined);
});
