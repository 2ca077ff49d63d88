// Types and validation of everything passed to the native engine. Validation lives here, not in
// C++: each message names the parameter and what was received.
export type ExecutionProvider = 'cpu' | 'cuda';

export interface RecognizeOptions {
  /** Longest side of the detector input (rounded to a multiple of 32). Default 1920. */
  detLimitSideLen?: number;
  /**
   * Detector input pixels per pass; a larger input runs as overlapping horizontal strips, so the
   * detector's memory follows the strip, not the page. 0: one pass. Default 524288.
   */
  detTilePixels?: number;
  /** Rows of context above and below each strip, in detector pixels (multiple of 32). Default 64. */
  detTileOverlap?: number;
  /** Probability-map binarization threshold. Default 0.3. */
  detThresh?: number;
  /** Minimum mean probability of a detected box. Default 0.6. */
  detBoxThresh?: number;
  /** Box expansion ratio. Default 1.3 (native/ocr/options.h). */
  detUnclipRatio?: number;
  /** Expansion of the region cropped for recognition (0: same as detUnclipRatio). Default 2.0. */
  detCropUnclipRatio?: number;
  /** Contours examined at most. Default 1000. */
  detMaxCandidates?: number;
  /** Shorter box side (detector pixels) under which a box is dropped. Default 3. */
  detMinSize?: number;
  /** Run the 0/180 line classifier. Default false. */
  useClassifier?: boolean;
  /** Flip a line when "180" scores above this. Default 0.9. */
  clsThresh?: number;
  clsBatchSize?: number;
  /** Lines per recognition batch. Default 8. */
  recBatchSize?: number;
  /** Padded input columns per recognition batch at most: wide lines go in smaller batches. 0: no limit. Default 2560. */
  recBatchWidth?: number;
  /**
   * Lines wider than this many input columns (at the model's height) are read as pieces cut at
   * blank columns: the recognizer's cost per column grows with width. 0: whole lines.
   */
  recPieceWidth?: number;
  /** Columns of context on each side of a piece. Default 32. */
  recPieceOverlap?: number;
  /** Narrower recognition inputs are padded to this many columns. Default 320 (as PaddleOCR). */
  recMinWidth?: number;
  recBucketWidth?: number;
  /** Lines under this confidence are dropped. Default 0.5. */
  scoreThresh?: number;
  /**
   * Decide spaces from each gap's geometry (blank time steps, ink gap against the line's own, the
   * distance over the line's character pitch) and the space class's probability, not only from
   * the spaces the model emits. Default true.
   */
  restoreSpaces?: boolean;
  /** Added to the space model's score: above 0 more spaces, below 0 fewer. Default 0. */
  spaceBias?: number;
  /** Same visual row when centers differ by less than this times the line height. Default 0.5. */
  lineTolerance?: number;
  /** Full-width forms and CJK look-alikes (二 → =) to ASCII in lines without CJK text. Default true. */
  fixLatin?: boolean;
  /** Diagnostics: each line carries `trace`, its decoded characters and ink profile as JSON. Default false. */
  trace?: boolean;
  /**
   * Decide the page's orientation (0/90/180/270) and read a turned page upright; the result's
   * `rotation` says how it was turned, boxes stay in the submitted image's pixels. Default true.
   */
  autoOrient?: boolean;
  /** Lines the orientation vote reads turned round (the widest). Default 5. */
  orientLines?: number;
  /** Each vote line is cut to this many times its height. Default 12. */
  orientAspect?: number;
  /** Mean confidence gain the turned lines need to turn the page. Default 0.05. */
  orientMargin?: number;
}

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** 1 gray, 3 RGB, 4 RGBA */
  channels: number;
  /** Bytes per row; defaults to width * channels. */
  stride?: number;
}

type Rule = { kind: 'int' | 'number' | 'bool'; min?: number; max?: number };
const RULES: Record<keyof RecognizeOptions, Rule> = {
  detLimitSideLen: { kind: 'int', min: 32, max: 8192 },
  detTilePixels: { kind: 'int', min: 0, max: 67108864 },
  detTileOverlap: { kind: 'int', min: 0, max: 1024 },
  detThresh: { kind: 'number', min: 0, max: 1 },
  detBoxThresh: { kind: 'number', min: 0, max: 1 },
  detUnclipRatio: { kind: 'number', min: 0, max: 10 },
  detCropUnclipRatio: { kind: 'number', min: 0, max: 10 },
  detMaxCandidates: { kind: 'int', min: 1, max: 100000 },
  detMinSize: { kind: 'int', min: 0, max: 1000 },
  useClassifier: { kind: 'bool' },
  clsThresh: { kind: 'number', min: 0, max: 1 },
  clsBatchSize: { kind: 'int', min: 1, max: 1024 },
  recBatchSize: { kind: 'int', min: 1, max: 1024 },
  recBatchWidth: { kind: 'int', min: 0, max: 1048576 },
  recPieceWidth: { kind: 'int', min: 0, max: 1048576 },
  recPieceOverlap: { kind: 'int', min: 0, max: 1024 },
  recMinWidth: { kind: 'int', min: 8, max: 4096 },
  recBucketWidth: { kind: 'int', min: 0, max: 4096 },
  scoreThresh: { kind: 'number', min: 0, max: 1 },
  restoreSpaces: { kind: 'bool' },
  spaceBias: { kind: 'number', min: -20, max: 20 },
  fixLatin: { kind: 'bool' },
  lineTolerance: { kind: 'number', min: 0, max: 10 },
  trace: { kind: 'bool' },
  autoOrient: { kind: 'bool' },
  orientLines: { kind: 'int', min: 1, max: 64 },
  orientAspect: { kind: 'number', min: 1, max: 1000 },
  orientMargin: { kind: 'number', min: -1, max: 1 },
};

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  return Object.prototype.toString.call(v);
}

export function validateRecognizeOptions(o: unknown, where = 'options'): RecognizeOptions {
  if (o === undefined) return {};
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new TypeError(`Expected object for ${where} but received ${describe(o)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) {
    if (value === undefined) continue;
    const rule = RULES[key as keyof RecognizeOptions];
    if (!rule) throw new TypeError(`Unknown option ${where}.${key}`);
    if (rule.kind === 'bool') {
      if (typeof value !== 'boolean')
        throw new TypeError(`Expected boolean for ${where}.${key} but received ${describe(value)}`);
    } else {
      const isNum = typeof value === 'number' && Number.isFinite(value);
      if (!isNum || (rule.kind === 'int' && !Number.isInteger(value))) {
        throw new TypeError(
          `Expected ${rule.kind === 'int' ? 'integer' : 'number'} for ${where}.${key} but received ${describe(value)}`,
        );
      }
      if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
        throw new RangeError(`Expected ${where}.${key} between ${rule.min} and ${rule.max} but received ${value}`);
      }
    }
    out[key] = value;
  }
  return out as RecognizeOptions;
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new RangeError(`Expected positive integer for ${name} but received ${describe(v)}`);
  }
  return v;
}

/** Checks the pixel buffer against its declared geometry; returns it with stride filled in. */
export function validateImage(image: unknown): Required<RawImage> {
  if (image === null || typeof image !== 'object')
    throw new TypeError(`Expected object for image but received ${describe(image)}`);
  const img = image as Partial<RawImage>;
  if (!(img.data instanceof Uint8Array)) {
    throw new TypeError(`Expected Uint8Array or Buffer for image.data but received ${describe(img.data)}`);
  }
  const width = positiveInt('image.width', img.width);
  const height = positiveInt('image.height', img.height);
  if (img.channels !== 1 && img.channels !== 3 && img.channels !== 4) {
    throw new RangeError(`Expected 1, 3 or 4 for image.channels but received ${describe(img.channels)}`);
  }
  const channels = img.channels;
  const stride = img.stride === undefined ? width * channels : positiveInt('image.stride', img.stride);
  if (stride < width * channels) {
    throw new RangeError(
      `Expected image.stride of at least width * channels (${width * channels}) but received ${stride}`,
    );
  }
  const needed = stride * (height - 1) + width * channels;
  if (img.data.byteLength < needed) {
    throw new RangeError(
      `image.data is too short: ${img.data.byteLength} bytes for ${width}x${height}x${channels} (stride ${stride}) needs ${needed}`,
    );
  }
  return { data: img.data, width, height, channels, stride };
}
