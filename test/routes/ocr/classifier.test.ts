// OCR_USE_CLASSIFIER: an upside-down scan is read right way up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import sharp from 'sharp';

import { build, norm, submitJob, textImage, waitForResult } from '../../helper.js';

describe('OCR_USE_CLASSIFIER', () => {
  it('reads an image turned by 180 degrees when the classifier is on, and not when it is off', async (t) => {
    const upside = await sharp(await textImage(['Upside down invoice 2024'], 'png', 560))
      .rotate(180)
      .png()
      .toBuffer();
    const texts: Record<string, string> = {};
    for (const flag of ['true', 'false']) {
      // The classifier alone: page orientation (which turns this page whole) is off.
      const app = await build(t, { OCR_USE_CLASSIFIER: flag, OCR_ORIENTATION: 'off' });
      const result = await waitForResult(app, await submitJob(app, upside, { filename: 'u.png' }));
      texts[flag] = result.json().text;
    }
    assert.equal(norm(texts.true), norm('Upside down invoice 2024'));
    assert.notEqual(norm(texts.false), norm('Upside down invoice 2024'));
  });
});
