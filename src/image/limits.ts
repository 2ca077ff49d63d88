// Size limits of decoded images: MAX_IMAGE_WIDTH, MAX_IMAGE_HEIGHT and a pixel budget.
import { ApiError } from '../errors.js';

export interface ImageLimits {
  maxWidth: number;
  maxHeight: number;
  maxPixels: number;
}

export function checkImageLimits(width: number, height: number, limits: ImageLimits): void {
  if (width > limits.maxWidth || height > limits.maxHeight) {
    throw new ApiError(
      'image_too_large',
      `Image is ${width}x${height} pixels; the limit is ${limits.maxWidth}x${limits.maxHeight} (MAX_IMAGE_WIDTH x MAX_IMAGE_HEIGHT)`,
    );
  }
  if (width * height > limits.maxPixels) {
    throw new ApiError('image_too_large', `Image has ${width * height} pixels; the limit is ${limits.maxPixels} (MAX_IMAGE_PIXELS)`);
  }
}
