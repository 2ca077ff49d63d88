import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decodeBmp } from '../../src/image/bmp.js';
import { ApiError } from '../../src/errors.js';
import { encodeBmp } from '../fixtures/bmp.js';

// A 5x3 image with distinct colors, odd width so rows need padding.
function sample(gray = false) {
  const width = 5,
    height = 3;
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const v = gray ? (i % 2 ? 255 : 0) : i * 17;
    data[i * 3] = v;
    data[i * 3 + 1] = gray ? v : 255 - v;
    data[i * 3 + 2] = gray ? v : (v * 3) & 255;
  }
  return { data, width, height };
}

for (const bpp of [24, 32] as const) {
  for (const topDown of [false, true]) {
    test(`${bpp}-bit ${topDown ? 'top-down' : 'bottom-up'} BMP decodes to the same pixels`, () => {
      const px = sample();
      const out = decodeBmp(encodeBmp(px, bpp, topDown));
      assert.equal(out.width, 5);
      assert.equal(out.height, 3);
      assert.deepEqual(out.data, px.data);
    });
  }
}

for (const bpp of [1, 4, 8] as const) {
  test(`${bpp}-bit palette BMP decodes`, () => {
    const px = sample(true);
    const out = decodeBmp(encodeBmp(px, bpp));
    assert.deepEqual(out.data, px.data);
  });
}

test('RLE compression is refused with a clear 422', () => {
  const bmp = encodeBmp(sample(), 24);
  bmp.writeUInt32LE(1, 30);
  assert.throws(
    () => decodeBmp(bmp),
    (e: unknown) => e instanceof ApiError && e.statusCode === 422 && /Unsupported BMP variant: RLE8/.test(e.message),
  );
});

test('truncated pixel data is a 422, not a crash', () => {
  const bmp = encodeBmp(sample(), 24);
  assert.throws(
    () => decodeBmp(bmp.subarray(0, bmp.length - 10)),
    (e: unknown) => e instanceof ApiError && /truncated/.test(e.message),
  );
  assert.throws(() => decodeBmp(bmp.subarray(0, 20)), ApiError);
});

test('limits are checked from the header', () => {
  const bmp = encodeBmp(sample(), 24);
  assert.throws(() => decodeBmp(bmp, { maxWidth: 4, maxHeight: 100, maxPixels: 1e6 }), /MAX_IMAGE_WIDTH/);
});
