// Every environment variable the service reads, once: its name, the Config field it fills, its
// type, bounds and default, and its documentation. The Config type, the parsing (../config.ts),
// env.example and the tables of docs/configuration.md and README.md all come from here.
// Names and defaults are the seed service's where one existed; the rest are ours.
import { Type } from '@sinclair/typebox';

import { PDF_TEXT_MODES } from '../jobs/types.js';
import { bool, type Fields, int, oneOf, prose, str } from './define.js';
import { cache, jobs, operations, redis, timeouts, webhooks } from './settings-jobs.js';

const server = {
  HOST: str('0.0.0.0', { key: 'host', description: 'listen address', summary: 'listen address' }, { minLength: 1 }),
  PORT: int(5000, 0, 65535, { key: 'port', description: 'listen port', summary: 'listen port' }),
  MAX_CONTENT_LENGTH: int(52428800, 1, undefined, {
    key: 'maxContentLength',
    description: 'request size limit in bytes (413), also the per-file limit',
    summary: 'request size limit in bytes (413)',
  }),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info', {
    key: 'logLevel',
    description: 'fatal, error, warn, info, debug, trace, silent; any case; `WARNING`, `CRITICAL` accepted',
    summary: 'pino JSON logs on stdout',
    lowercase: true,
    aliases: { warning: 'warn', critical: 'fatal' },
  }),
  TRUST_PROXY: str('false', {
    description: prose`honour \`X-Forwarded-For\`: the proxy addresses/CIDRs (safest, e.g. \`127.0.0.1\`), a hop
      count (\`1\` behind one nginx; only when the API port is reachable through the proxy alone), or
      \`true\` (trust every hop)`,
    summary: 'honour `X-Forwarded-For` from these proxies (behind nginx: `127.0.0.1` or `1`)',
  }),
  RATE_LIMIT_PER_MINUTE: int(60, 0, undefined, {
    key: 'rateLimitPerMinute',
    description: 'submissions per minute per client IP (per API key when keys are on); `0` disables',
    summary: 'submissions per minute per client IP (or per API key); `0` disables',
  }),
  WAIT_MAX: int(60, 0, 600, {
    key: 'waitMax',
    description: prose`longest \`?wait=SECONDS\` a request may ask for (0–600; \`0\`: \`wait\` is ignored); more is
      a 400 (see [Waiting](api.md#waiting-for-a-result-wait))`,
    summary: 'longest `?wait=` in seconds on submissions and results',
  }),
};

const engine = {
  OCR_LANG: str(
    'auto',
    {
      key: 'lang',
      description: prose`default language of a request without \`lang\`: \`auto\` (detected from each page's text),
        a code (\`fr\`, \`pl\`, \`ko\`, ...), a Tesseract code (\`eng\`, \`deu\`, \`chi_sim\`) or up to 5 joined
        by \`+\` (\`eng+deu\`); picks the model set and the accent dictionary (see
        [Languages](models.md#languages)); checked at start-up`,
      summary: prose`default document language (\`auto\`: detected per page; or \`fr\`, \`pl\`, \`ko\`, Tesseract's
        \`eng\`, \`eng+deu\`, ...)`,
    },
    { minLength: 1 },
  ),
  OCR_RESTORE_DIACRITICS: bool(true, {
    key: 'restoreDiacritics',
    description: prose`restore the accents a model set cannot read or misses (\`etre\` → \`être\`) from the
      language's dictionary, for the sets whose manifest entry asks for it (PP-OCRv4, PP-OCRv6 tiny); a
      request's \`diacritics=false\` turns it off for that request`,
  }),
  OCR_MODEL: str('', {
    key: 'model',
    description: 'model set name from `models/manifest.json`; empty: the default set of `OCR_LANG`',
    summary: "model set name (default `pp-ocrv6-tiny`, installed by setup); overrides `OCR_LANG`'s choice",
  }),
  OCR_MODELS_DIR: str('', {
    key: 'modelsDir',
    description: 'folder of downloaded model sets (`npm run models:download`); empty: `models/cache`',
  }),
  OCR_USE_CLASSIFIER: bool(false, {
    key: 'useClassifier',
    description: prose`run the 0/180 line classifier on every line (each line decided alone; turned pages need
      \`OCR_ORIENTATION\`); costs a little time per line`,
  }),
  OCR_ORIENTATION: oneOf(['auto', 'off'], 'auto', {
    key: 'orientation',
    description: prose`\`auto\`: pages scanned sideways or upside down are turned upright before they are read,
      and report \`rotation\`; \`off\`: read as they lie. Any case. Per request: \`orientation\` (see
      [Page orientation](layout.md#page-orientation))`,
    lowercase: true,
  }),
  PDF_TEXT: oneOf(PDF_TEXT_MODES, 'auto', {
    key: 'pdfText',
    description: prose`where a PDF page's text comes from: \`auto\` its embedded text where usable, OCR elsewhere;
      \`ocr\` OCR every page; \`force\` OCR every page and rasterize the searchable PDF. Any case. Per
      request: \`pdf_text\` (see [PDF text layer](api.md#pdf-text-layer-pdf_text))`,
    lowercase: true,
  }),
  USE_GPU: bool(false, {
    key: 'useGpu',
    description: prose`CUDA execution provider. The defaults then take the shape that feeds one GPU: one worker
      thread per CPU (at most 16) of one ONNX Runtime thread each, all sharing the process's one GPU
      session (each decodes, crops and decodes outputs of its own page while the others' kernels run),
      recognition in batches of 64 lines; \`/health\` reports \`workers\` and \`ocr_service.gpu_device\``,
    summary: 'CUDA execution provider (the CUDA image)',
  }),
  OCR_GPU_DEVICE: int(0, 0, 255, {
    key: 'gpuDevice',
    description: prose`CUDA device of the engine, counted within \`CUDA_VISIBLE_DEVICES\` (which also works as
      usual)`,
  }),
  OCR_WORKERS: int(0, 0, 256, {
    key: 'workers',
    description: prose`OCR worker threads; \`0\`: automatic, CPUs ÷ \`OCR_THREADS_PER_WORKER\`, i.e. one per CPU
      (with \`USE_GPU\`: one per CPU, at most 16). A process runs one job more than that at once (the next
      image decoded, the last page's text post-processed, while every thread reads); \`QUEUE_MAX\` counts
      the jobs waiting beyond them`,
    summary: 'OCR worker threads (`0`: one per CPU)',
  }),
  OCR_THREADS_PER_WORKER: int(0, 0, 256, {
    key: 'threadsPerWorker',
    description: prose`ONNX Runtime intra-op threads per worker; \`0\`: automatic, 1. Keep workers × threads ≤ CPU
      limit. With PP-OCRv6 tiny, single-thread workers read the most pages/s (bench-cpu: 1.150× Tesseract
      against 0.915× with 1 × 2, see [Speed](benchmarks.md#speed)); each worker holds a page's tensors, so
      fewer, wider workers use a little less memory (100-page PDF: 832 MB peak with 2 × 1, see
      [Multi-page documents](benchmarks.md#multi-page-documents-memory-and-pagess-scriptsbench-pdfmjs))`,
    summary: 'ONNX Runtime threads per worker (`0`: 1); keep workers × threads at the CPU limit',
  }),
  OCR_SPINNING: oneOf(['auto', 'true', 'false'], 'auto', {
    description: prose`ONNX Runtime's intra-op threads spin between operators instead of sleeping: \`auto\` turns
      it on for one CPU worker with several threads (\`OCR_WORKERS=1\`, \`OCR_THREADS_PER_WORKER=2\` or more),
      where it measured 0.94× the engine time (1.11× the pages/s against Tesseract in bench-cpu); never
      useful with several workers, whose threads would take each other's cores; \`true\`/\`false\` force it
      (lower case)`,
  }),
};

const limits = {
  MAX_IMAGE_WIDTH: int(10_000, 1, 65535, {
    key: 'maxImageWidth',
    description: 'image width limit in pixels (422); a letter page scanned at 400 dpi is 3400x4400',
    summary: 'image width limit (422)',
  }),
  MAX_IMAGE_HEIGHT: int(10_000, 1, 65535, {
    key: 'maxImageHeight',
    description: 'image height limit in pixels (422); an A3 page at 300 dpi is 3508x4961',
    summary: 'image height limit (422)',
  }),
  MAX_IMAGE_PIXELS: int(40_000_000, 1, undefined, {
    key: 'maxImagePixels',
    description: prose`pixel budget of one decoded image page (422), the same as \`MAX_PDF_PAGE_PIXELS\`, so peak
      memory per page is the same; the 422 names all three limits. Memory per page:
      [Benchmarks](benchmarks.md#peak-memory-of-large-images)`,
    summary: 'pixel budget of one decoded image page (422)',
  }),
  MAX_PDF_PAGES: int(100, 1, undefined, {
    key: 'maxPdfPages',
    description: 'page limit of a PDF (422)',
    summary: 'PDF page limit',
  }),
  MAX_TIFF_PAGES: int(100, 1, 100_000, {
    key: 'maxTiffPages',
    description: 'page limit of a multi-page TIFF (422 at submission)',
  }),
  PDF_RENDER_MEMORY_MB: int(1024, 64, 2048, {
    key: 'pdfRenderMemoryMb',
    description: prose`megabytes of WebAssembly memory PDFium may use for one document (render thread, submission
      check); a page needing more fails alone (422-class page error)`,
  }),
  MAX_PDF_PAGE_PIXELS: int(40_000_000, 1, undefined, {
    key: 'maxPdfPagePixels',
    description: prose`pixel budget of one rendered PDF page: a larger page is rendered at the highest dpi that
      fits (the page's \`dpi\` says which)`,
  }),
  DEFAULT_DPI: int(300, 72, 1200, {
    key: 'defaultDpi',
    description: 'PDF rendering dpi when the request has none (at most `MAX_DPI`)',
    summary: 'PDF rendering dpi',
  }),
  MAX_DPI: int(600, 72, 1200, {
    key: 'maxDpi',
    description: 'highest accepted `dpi` (the lowest is 72)',
    summary: 'highest accepted dpi',
  }),
  MAX_BATCH_FILES: int(20, 1, 1000, {
    key: 'maxBatchFiles',
    description: 'files in one `/ocr/batch` request',
  }),
  UPLOAD_FOLDER: str('', {
    key: 'uploadFolder',
    description: prose`accepted for compatibility; embedded mode keeps uploads in memory and writes nothing here
      (empty: \`$TMPDIR/ocr-uploads\`)`,
  }),
};

export const SECTIONS = [
  { title: 'HTTP server', settings: server },
  { title: 'OCR engine', settings: engine },
  { title: 'Input limits', settings: limits },
  { title: 'HTTP timeouts (slow clients are cut off)', settings: timeouts },
  { title: 'Jobs', settings: jobs },
  { title: 'Result cache (in memory in embedded mode)', settings: cache },
  { title: 'Scale-out on Redis (docs/scale-out.md); empty REDIS_URL = embedded mode', settings: redis },
  { title: 'Webhooks (callback_url form field)', settings: webhooks },
  { title: 'Operations (docs/operations.md): metrics and API keys', settings: operations },
] as const;

export const EnvSchema = Type.Object({
  ...server,
  ...engine,
  ...limits,
  ...timeouts,
  ...jobs,
  ...cache,
  ...redis,
  ...webhooks,
  ...operations,
});

/** The Config fields that are a setting's value as it is (after defaults and `0`/empty = automatic). */
export type SettingFields = Fields<typeof EnvSchema.properties>;
