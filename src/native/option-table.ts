// The engine's per-call options, listed once: the RecognizeOptions type, their validation
// (options.ts) and the options table of docs/engine.md come from this table. The defaults are the
// C++ engine's (native/ocr/options.h, read through native/binding/convert.cc);
// test/native/options.test.ts checks both files against this table.

export interface OptionSpec {
  type: 'int' | 'number' | 'bool';
  default: number | boolean;
  min?: number;
  max?: number;
  /** One line of Markdown for the docs table. */
  doc: string;
}

const int = (def: number, min: number, max: number, doc: string) =>
  ({ type: 'int', default: def, min, max, doc }) as const;
const num = (def: number, min: number, max: number, doc: string) =>
  ({ type: 'number', default: def, min, max, doc }) as const;
const bool = (def: boolean, doc: string) => ({ type: 'bool', default: def, doc }) as const;

/** In the order of the pipeline: detection, classifier, recognition, spaces, lines, orientation. */
export const ENGINE_OPTIONS = {
  detLimitSideLen: int(1920, 32, 8192, 'longest side of the detector input (rounded to a multiple of 32)'),
  detTilePixels: int(
    524288,
    0,
    67108864,
    'detector input pixels per pass; a larger input runs as overlapping horizontal strips whose maps are ' +
      "stitched, so the detector's memory follows the strip, not the page (0: one pass)",
  ),
  detTileOverlap: int(64, 0, 1024, 'rows of context above and below each strip (detector pixels, multiple of 32)'),
  detThresh: num(0.3, 0, 1, 'probability-map binarization threshold'),
  detBoxThresh: num(0.6, 0, 1, 'minimum mean probability of a box'),
  detUnclipRatio: num(1.3, 0, 10, 'expansion of the reported box'),
  detCropUnclipRatio: num(2, 0, 10, 'expansion of the region cropped for recognition (0: same as the box)'),
  detMaxCandidates: int(1000, 1, 100000, 'contours examined at most'),
  detMinSize: int(3, 0, 1000, 'boxes with a shorter side (detector pixels) are dropped'),
  useClassifier: bool(false, 'run the 0/180 line classifier (see the note below the table)'),
  clsThresh: num(0.9, 0, 1, 'flip a line when "180" scores above this'),
  clsBatchSize: int(8, 1, 1024, 'lines per classifier batch'),
  recBatchSize: int(8, 1, 1024, 'lines per recognition batch'),
  recBatchWidth: int(
    2560,
    0,
    1048576,
    'padded input columns per recognition batch at most: wide lines go in smaller batches (0: no limit)',
  ),
  recPieceWidth: int(
    0,
    0,
    1048576,
    'lines wider than this many input columns (at the model height) are read as overlapping pieces cut at ' +
      'blank columns, as the cost per column grows with width (0: whole lines; see the note below the table)',
  ),
  recPieceOverlap: int(32, 0, 1024, 'columns of context on each side of a piece'),
  recMinWidth: int(320, 8, 4096, 'narrower recognition inputs are padded to this many columns (as PaddleOCR does)'),
  recBucketWidth: int(
    0,
    0,
    4096,
    '> 0: each piece padded to its width rounded up to a multiple of this, one such width per batch (text ' +
      'independent of batch-mates, shapes repeat; the service sets 64 with `USE_GPU`); 0: a batch is padded ' +
      'to its widest piece',
  ),
  scoreThresh: num(0.5, 0, 1, 'lines under this confidence are dropped'),
  restoreSpaces: bool(
    true,
    "decide spaces with the space model (each gap's geometry and the space class's probability); false: " +
      "only the model's own spaces",
  ),
  spaceBias: num(0, -20, 20, "added to the space model's score: > 0 more spaces, < 0 fewer"),
  fixLatin: bool(true, 'full-width forms and CJK look-alikes (`二` → `=`) to ASCII in lines without CJK text'),
  lineTolerance: num(0.5, 0, 10, 'same visual row when centers differ by less than this × line height'),
  trace: bool(
    false,
    'diagnostics: each line gets `trace`, its decoded characters (columns, probabilities) and ink profile as JSON',
  ),
  orientation: bool(
    true,
    "decide the page's orientation (0/90/180/270) and read a turned page upright; the result's `rotation` " +
      "says how, boxes stay in the submitted image's pixels (see [Page orientation](layout.md#page-orientation))",
  ),
  orientationLines: int(5, 1, 64, 'lines the orientation vote reads turned round (the widest)'),
  orientationAspect: num(12, 1, 1000, 'each vote line is cut to this many times its height'),
  orientationMargin: num(0.05, -1, 1, 'mean confidence gain the turned lines need to turn the page'),
} as const satisfies Record<string, OptionSpec>;

type Specs = typeof ENGINE_OPTIONS;
export type EngineOptionName = keyof Specs;

/** Options of one recognize() call (or an engine's `defaults`); unset ones take the engine's default. */
export type RecognizeOptions = {
  -readonly [K in EngineOptionName]?: Specs[K]['type'] extends 'bool' ? boolean : number;
};

const TYPE_NAMES = { int: 'integer', number: 'number', bool: 'boolean' } as const;

/** The options table of docs/engine.md (between its `options` markers). */
export function renderOptionsTable(): string {
  const rows = Object.entries(ENGINE_OPTIONS).map(([name, s]: [string, OptionSpec]) => {
    const range = s.type === 'bool' ? '' : ` ${s.min}–${s.max}`;
    return `| \`${name}\` | ${TYPE_NAMES[s.type]}${range} | ${String(s.default)} | ${s.doc} |`;
  });
  return ['| option | type | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
