// Size limits of decoded images: MAX_IMAGE_WIDTH, MAX_IMAGE_HEIGHT and a pixel budget.
import { ApiError } from '../errors.js';

export interface ImageLimits {
  maxWidth: number;
  maxHeight: number;
  maxPixels: number;
}

/** Every limit in one sentence, so a refused client knows what would pass whichever it broke. */
function describeLimits(limits: ImageLimits): string {
  const sides =
    limits.maxWidth === limits.maxHeight
      ? `${limits.maxWidth} px on either side (MAX_IMAGE_WIDTH, MAX_IMAGE_HEIGHT)`
      : `${limits.maxWidth} px wide (MAX_IMAGE_WIDTH) and ${limits.maxHeight} px high (MAX_IMAGE_HEIGHT)`;
  return `${sides} and ${limits.maxPixels} pixels in all (MAX_IMAGE_PIXELS)`;
}

export function checkImageLimits(width: number, height: number, limits: ImageLimits): void {
  if (width > limits.maxWidth || height > limits.maxHeight || width * height > limits.maxPixels) {
    throw new ApiError(
      'image_too_large',
      `Image is ${width}x${height} pixels (${width * height} pixels); the limit is ${describeLimits(limits)}`,
    );
  }
}
