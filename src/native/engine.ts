// Typed front of the native addon: createEngine() and engine.recognize().
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { DEFAULT_MODELS_DIR, ROOT, resolveModelSet, selectModelSet } from '../models/manifest.js';
import {
  type ExecutionProvider,
  type RawImage,
  type RecognizeOptions,
  validateImage,
  validateRecognizeOptions,
} from './options.js';

export type { ExecutionProvider, RawImage, RecognizeOptions } from './options.js';

export type Point = [number, number];
export interface OcrWord {
  text: string;
  /** Mean probability of the word's characters. */
  confidence: number;
  /** Four corners, clockwise from the top-left of the word as read, in pixels of the input image. */
  bbox: [Point, Point, Point, Point];
}
export interface OcrLine {
  /** The words' texts joined by single spaces. */
  text: string;
  confidence: number;
  /** Four corners, clockwise from top-left, in pixels of the input image. */
  bbox: [Point, Point, Point, Point];
  words?: OcrWord[];
  /** Diagnostics (option `trace`): the decoder's characters and the crop's ink profile, as JSON. */
  trace?: string;
}
export interface StageTimings {
  preprocess: number;
  det: number;
  postprocess: number;
  cls: number;
  rec: number;
  /** Time inside ONNX Runtime Session::Run, summed over stages. */
  ortRun: number;
  /** Bytes the recognizer's outputs handed to CTC decoding (device to host on a GPU). */
  recOutBytes: number;
  /** Finding ruling lines and shade edges for tables. */
  rulings?: number;
  total: number;
}
export interface OcrResult {
  lines: OcrLine[];
  /**
   * Clockwise degrees (0/90/180/270) the page was turned to read it upright; boxes are in the submitted image's
   * pixels.
   */
  rotation: number;
  /**
   * Ruling lines and the edges of shaded areas, as axis-aligned segments [x0, y0, x1, y1] in the
   * submitted image's pixels (horizontal: y0 == y1; vertical: x0 == x1). Tables are built from them.
   */
  rulings?: [number, number, number, number][];
  timings: StageTimings;
}

export interface ModelPaths {
  det: string;
  rec: string;
  cls?: string;
  dict: string;
  recHeight?: number;
}

export interface EngineOptions {
  /** Model set name from models/manifest.json (OCR_MODEL). */
  model?: string;
  /** Language, mapped to a model set by the manifest (OCR_LANG). */
  lang?: string;
  /** Where downloaded model sets live. */
  modelsDir?: string;
  /** Explicit model files instead of a manifest set. */
  models?: ModelPaths;
  executionProvider?: ExecutionProvider;
  /** ONNX Runtime intra-op threads per session. Default 1. */
  intraOpThreads?: number;
  deviceId?: number;
  /** Load the 0/180 classifier model when the set has one. Default true. */
  loadClassifier?: boolean;
  /**
   * Rewrite the recognition graph at load so that it outputs, per time step, only the arg-max
   * class, its probability and the space class's probability (not the whole distribution).
   * Same text; on a GPU a thousandth of the bytes cross to the host. Default true.
   */
  reduceOnDevice?: boolean;
  /**
   * Rewrite every model graph at load so that ONNX Runtime keeps whole convolution blocks in its
   * fast layout: PaddleOCR's exported scale/bias pairs folded into the convolutions, hard-swish as
   * x * HardSigmoid(x). The same function up to float rounding; on CPU recognition takes about
   * 0.7x the time. Default true.
   */
  fuseGraph?: boolean;
  /**
   * Let ONNX Runtime's intra-op threads spin between operators instead of sleeping. Faster for one
   * engine alone on its cores; never with several worker threads sharing the cores. Default false.
   */
  intraOpSpinning?: boolean;
  /**
   * Recognition batches shared by every page in flight on this engine, from any worker thread
   * (native/ocr/rec_scheduler.h): the widest pending line pieces of all pages go together, so a
   * GPU sees full batches. Default: on with 'cuda', off on the CPU (one batch at a time would leave
   * the other cores idle).
   */
  crossPageBatching?: boolean;
  /** How long a batch that is not full waits for pages still on their way, in ms. Default 3. */
  batchWaitMs?: number;
  /** Defaults for every recognize() call of this engine. */
  defaults?: RecognizeOptions;
}

interface NativeEngine {
  recognize(image: Required<RawImage>, options: RecognizeOptions): Promise<OcrResult>;
  hasClassifier(): boolean;
  graphRewrites(): GraphRewrites;
  schedulerStats(): SchedulerStats | null;
}

/** Cross-page recognition batches run so far: how many of each size, and how many mixed pages. */
export interface SchedulerStats {
  batches: Record<string, number>;
  mixed: number;
}

/** How many of each load-time rewrite (see EngineOptions.fuseGraph) each graph received. */
export interface FuseCounts {
  convAffine: number;
  hardSwish: number;
  affineInto1x1: number;
  affineDepthwise: number;
  /** GELU divisors rounded to float16 set back to √2, so ONNX Runtime fuses GELU (PP-OCRv6 tiny). */
  geluSqrt2: number;
}
/** Per graph: `widened` float16 tensors made float32 at load (0 for a float32 model), then the fusions. */
export type GraphCounts = FuseCounts & { widened: number };
export interface GraphRewrites {
  det?: GraphCounts;
  rec?: GraphCounts & { reduced: boolean };
  cls?: GraphCounts;
}
interface NativeAddon {
  createEngine(config: Record<string, unknown>, defaults: RecognizeOptions): Promise<NativeEngine>;
  fuseModel(model: Uint8Array): { model: Buffer; counts: FuseCounts };
  widenModel(model: Uint8Array): { model: Buffer; counts: { tensors: number; types: number } };
  exitNow(code: number): never;
}

/** OCR_NATIVE_ADDON points at another build of the addon (scripts/asan.sh: the sanitizer build). */
export const ADDON_PATH = process.env.OCR_NATIVE_ADDON || path.join(ROOT, 'build', 'Release', 'ocr_native.node');
let addon: NativeAddon | undefined;
function loadAddon(): NativeAddon {
  if (!addon) {
    if (!existsSync(ADDON_PATH)) throw new Error(`Native addon not built (${ADDON_PATH}); run npm run build`);
    addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
  }
  return addon;
}

/**
 * Ends the process now with `code`, without joining worker threads (process.exit() waits for each
 * OCR thread's running native call). For the end of a shutdown grace only; stdio is flushed first.
 */
export function exitNow(code: number): never {
  return loadAddon().exitNow(code);
}

/**
 * The load-time graph rewrite (EngineOptions.fuseGraph) applied to one model's bytes, for tests and
 * scripts/bench-graph.mjs. Throws for bytes that are not a rewritable ONNX model.
 */
export function fuseModel(model: Uint8Array): { model: Buffer; counts: FuseCounts } {
  return loadAddon().fuseModel(model);
}

/**
 * The float16 → float32 rewrite every model gets at load, applied to one model's bytes (for tests
 * and scripts). A float32 model comes back unchanged with zero counts. Throws for bytes that are
 * not an ONNX model.
 */
export function widenModel(model: Uint8Array): { model: Buffer; counts: { tensors: number; types: number } } {
  return loadAddon().widenModel(model);
}

export class Engine {
  readonly modelSet: string;
  readonly executionProvider: ExecutionProvider;
  readonly #native: NativeEngine;

  constructor(native: NativeEngine, modelSet: string, provider: ExecutionProvider) {
    this.#native = native;
    this.modelSet = modelSet;
    this.executionProvider = provider;
  }

  get hasClassifier(): boolean {
    return this.#native.hasClassifier();
  }

  /** Batches run by the cross-page scheduler (null when crossPageBatching is off). */
  get schedulerStats(): SchedulerStats | null {
    return this.#native.schedulerStats();
  }

  /** What the load-time graph rewrites changed in each model (counts per rewrite). */
  get graphRewrites(): GraphRewrites {
    return this.#native.graphRewrites();
  }

  /** Runs the whole pipeline off the event loop. Rejects with a TypeError/RangeError for bad input. */
  async recognize(image: RawImage, options?: RecognizeOptions): Promise<OcrResult> {
    const img = validateImage(image);
    const opts = validateRecognizeOptions(options);
    if (opts.useClassifier && !this.hasClassifier) {
      throw new Error(`options.useClassifier is set but model set "${this.modelSet}" was loaded without a classifier`);
    }
    return this.#native.recognize(img, opts);
  }
}

function checkInt(name: string, v: unknown, min: number): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min)) {
    throw new RangeError(`Expected integer >= ${min} for ${name} but received ${String(v)}`);
  }
}

/** Loads (or reuses: sessions are shared per process) the models and returns an engine. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const provider = options.executionProvider ?? 'cpu';
  if (provider !== 'cpu' && provider !== 'cuda') {
    throw new RangeError(`Expected "cpu" or "cuda" for executionProvider but received ${JSON.stringify(provider)}`);
  }
  checkInt('intraOpThreads', options.intraOpThreads, 1);
  checkInt('deviceId', options.deviceId, 0);
  if (
    options.batchWaitMs !== undefined &&
    !(typeof options.batchWaitMs === 'number' && options.batchWaitMs >= 0 && options.batchWaitMs <= 1000)
  ) {
    throw new RangeError(
      `Expected a number of ms in [0, 1000] for batchWaitMs but received ${String(options.batchWaitMs)}`,
    );
  }
  const defaults = validateRecognizeOptions(options.defaults, 'defaults');

  let name = 'custom';
  let models: ModelPaths;
  let detDefaults: Record<string, number> = {};
  if (options.models) {
    const m = options.models;
    for (const key of ['det', 'rec', 'dict'] as const) {
      if (typeof m[key] !== 'string' || !m[key]) throw new TypeError(`Expected file path for models.${key}`);
    }
    models = m;
  } else {
    name = selectModelSet({ model: options.model, lang: options.lang });
    const set = resolveModelSet(name, options.modelsDir ?? DEFAULT_MODELS_DIR);
    models = set;
    detDefaults = set.detDefaults;
  }
  const cls = options.loadClassifier === false ? '' : (models.cls ?? '');
  const native = await loadAddon().createEngine(
    {
      det: models.det,
      rec: models.rec,
      cls,
      dict: models.dict,
      recHeight: models.recHeight ?? 48,
      executionProvider: provider,
      intraOpThreads: options.intraOpThreads ?? 1,
      deviceId: options.deviceId ?? 0,
      reduceOnDevice: options.reduceOnDevice ?? true,
      fuseGraph: options.fuseGraph ?? true,
      intraOpSpinning: options.intraOpSpinning ?? false,
      crossPageBatching: options.crossPageBatching ?? provider === 'cuda',
      batchWaitMs: options.batchWaitMs ?? 3,
    },
    { ...detDefaults, ...defaults },
  );
  return new Engine(native, name, provider);
}
