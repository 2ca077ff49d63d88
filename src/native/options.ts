// Validation of everything passed to the native engine. It lives here, not in C++: each message
// names the parameter and what was received. The options themselves are listed in option-table.ts.
import { ENGINE_OPTIONS, type EngineOptionName, type OptionSpec, type RecognizeOptions } from './option-table.js';

export type { RecognizeOptions } from './option-table.js';
export type ExecutionProvider = 'cpu' | 'cuda';

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  /** 1 gray, 3 RGB, 4 RGBA */
  channels: number;
  /** Bytes per row; defaults to width * channels. */
  stride?: number;
}

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
    const rule: OptionSpec | undefined = Object.hasOwn(ENGINE_OPTIONS, key)
      ? ENGINE_OPTIONS[key as EngineOptionName]
      : undefined;
    if (!rule) throw new TypeError(`Unknown option ${where}.${key}`);
    if (rule.type === 'bool') {
      if (typeof value !== 'boolean')
        throw new TypeError(`Expected boolean for ${where}.${key} but received ${describe(value)}`);
    } else {
      const isNum = typeof value === 'number' && Number.isFinite(value);
      if (!isNum || (rule.type === 'int' && !Number.isInteger(value))) {
        throw new TypeError(
          `Expected ${rule.type === 'int' ? 'integer' : 'number'} for ${where}.${key} but received ${describe(value)}`,
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
      `image.data is too short: ${img.data.byteLength} bytes for ${width}x${height}x${channels} ` +
        `(stride ${stride}) needs ${needed}`,
    );
  }
  return { data: img.data, width, height, channels, stride };
}
