// Checks an upload before a job exists: type from content bytes, header-only size checks, PDF
// page count. Everything here answers synchronously with 415/422; decoding happens in the job.
import type { Config } from '../config.js';
import { ApiError } from '../errors.js';
import { probeImage } from '../image/decode.js';
import { type FileKind, detectType, kindOf } from '../image/detect.js';
import { parsePageRanges } from '../pdf/ranges.js';
import { probePdf } from '../pdf/probe.js';
import { inSharedMemory } from '../pdf/shared.js';
import type { JobInput } from './types.js';

const IMAGE_TYPES = 'JPEG, PNG, BMP, TIFF, WebP or GIF';

/** Whether a submission's pages are turned upright before they are read: its `orientation`, else OCR_ORIENTATION. */
export function orientationOn(query: { orientation?: 'auto' | 'off' }, config: Pick<Config, 'orientation'>): boolean {
  return (query.orientation ?? config.orientation) === 'auto';
}

export async function prepareInput(
  file: { filename: string; data: Buffer },
  accept: FileKind | 'any',
  dpi: number,
  config: Config,
  /** PDF page ranges as sent (`1-3,7`); validated against the page count. */
  pageSpec?: string,
): Promise<JobInput> {
  const { filename, data } = file;
  try {
    if (data.length === 0) throw new ApiError('empty_file', 'The uploaded file is empty');
    const type = detectType(data);
    if (!type) {
      const expected =
        accept === 'pdf'
          ? 'a PDF'
          : accept === 'image'
            ? `an image (${IMAGE_TYPES})`
            : `a PDF or an image (${IMAGE_TYPES})`;
      throw new ApiError('unsupported_type', `Unsupported file type: the content is not ${expected}`);
    }
    const kind = kindOf(type);
    if (accept !== 'any' && kind !== accept) {
      throw new ApiError(
        'unsupported_type',
        kind === 'pdf'
          ? 'The content is a PDF, not an image; send it to /ocr/pdf'
          : `The content is a ${type.toUpperCase()} image, not a PDF; send it to /ocr/image`,
      );
    }
    if (kind === 'pdf') {
      // The one copy of the document the job keeps: shared memory, so the probe thread and the page
      // tasks of every worker read it without another copy.
      const shared = inSharedMemory(data);
      const info = await probePdf(shared, {
        maxPages: config.maxPdfPages,
        maxMemoryBytes: config.pdfRenderMemoryMb * 2 ** 20,
      });
      const input: JobInput = {
        kind,
        type,
        filename,
        bytes: shared,
        pages: info.pageCount,
        dpi,
        maxPagePixels: config.maxPdfPagePixels,
      };
      if (pageSpec !== undefined) input.pageList = parsePageRanges(pageSpec, info.pageCount);
      return input;
    }
    const probe = await probeImage(data, type, {
      maxWidth: config.maxImageWidth,
      maxHeight: config.maxImageHeight,
      maxPixels: config.maxImagePixels,
    });
    if (probe.pages > config.maxTiffPages) {
      throw new ApiError(
        'too_many_pages',
        `The TIFF has ${probe.pages} pages; the limit is ${config.maxTiffPages} pages (MAX_TIFF_PAGES)`,
      );
    }
    return { kind, type, filename, bytes: data, pages: probe.pages };
  } catch (err) {
    if (err instanceof ApiError) err.filename ??= filename;
    throw err;
  }
}
