// `?format=pdf`: a searchable PDF. The original PDF (or, for images, each image as a page) with an
// invisible text layer (text render mode 3) that puts each recognized line over its box, so text
// can be selected, searched and copied. Boxes are in pixels of the processed page; they are scaled
// to the page's visible area (crop box, rotation) in points.
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

import { decodeBmp } from '../image/bmp.js';
import type { FileType } from '../image/detect.js';
import type { JobOutput, PageText } from '../jobs/types.js';
import { addTextLayer, embedFont, unicodeFont, viewToUser } from './pdf-text-layer.js';
import { rasterizedPdf } from './rasterized-pdf.js';

/** Our BMP reader's pixels, for sharp (which reads no BMP). */
function bmpAsRaw(source: Buffer) {
  const big = Number.MAX_SAFE_INTEGER;
  const bmp = decodeBmp(source, { maxWidth: big, maxHeight: big, maxPixels: big });
  return {
    data: Buffer.from(bmp.data.buffer, bmp.data.byteOffset, bmp.data.byteLength),
    raw: { width: bmp.width, height: bmp.height, channels: 3 as const },
  };
}

/** The pages of a job's output, by page number. */
function pagesOf(output: JobOutput): PageText[] {
  if (output.kind === 'pdf') return output.pages;
  if (output.pages) return output.pages;
  return [
    {
      page: 1,
      text: output.text,
      lines: output.lines,
      success: output.success,
      ...(output.rotation && { rotation: output.rotation }),
    },
  ];
}

export interface SearchableOptions {
  /** Font file to embed; default: the first of FONT_CANDIDATES found, else Helvetica. */
  fontFile?: Buffer | null;
}

/** Builds the searchable PDF of a finished job from its upload (`source`) and its output. */
export async function searchablePdf(
  source: Buffer,
  type: FileType,
  output: JobOutput,
  opts: SearchableOptions = {},
): Promise<Uint8Array> {
  const fontFile = opts.fontFile === undefined ? unicodeFont() : opts.fontFile;
  const results = pagesOf(output);
  if (type === 'pdf' && output.kind === 'pdf' && output.pdf_text === 'force')
    return rasterizedPdf(source, output, fontFile);
  if (type === 'pdf') {
    const doc = await PDFDocument.load(source, { updateMetadata: false });
    const tf = await embedFont(doc, fontFile);
    const pages = doc.getPages();
    const dpiOf = (r: PageText) => r.dpi ?? (output.kind === 'pdf' ? output.processing_dpi : 72);
    for (const r of results) {
      const page = pages[r.page - 1];
      if (!page) continue;
      // Older results carry no pixel size: derive it from the dpi as PDFium sizes its bitmap.
      const view = viewToUser(page);
      const pxW = r.width ?? Math.floor(Math.floor(view.viewW) * (dpiOf(r) / 72));
      const pxH = r.height ?? Math.floor(Math.floor(view.viewH) * (dpiOf(r) / 72));
      // A page that has its own usable text keeps it alone: a second (OCR) layer would double every word.
      if (r.source === 'pdf' || r.text_layer === 'usable') continue;
      addTextLayer(doc, page, r, pxW, pxH, tf);
    }
    return doc.save();
  }
  const doc = await PDFDocument.create();
  const tf = await embedFont(doc, fontFile);
  for (let i = 0; i < results.length; i++) {
    // The same orientation and flattening as the OCR decode, so boxes line up with the picture.
    const input = type === 'bmp' ? bmpAsRaw(source) : source;
    const open = () =>
      Buffer.isBuffer(input) ? sharp(input, { page: i, pages: 1 }) : sharp(input.data, { raw: input.raw });
    const img = open().rotate().flatten({ background: '#ffffff' });
    const meta = await open().metadata();
    const { data, info } = await (type === 'jpeg' ? img.jpeg({ quality: 90 }) : img.png()).toBuffer({
      resolveWithObject: true,
    });
    const embedded = type === 'jpeg' ? await doc.embedJpg(data) : await doc.embedPng(data);
    // Page size from the image's own resolution when it has one, else 72 pixels per inch.
    const scale = 72 / (meta.density && meta.density >= 72 ? meta.density : 72);
    const page = doc.addPage([info.width * scale, info.height * scale]);
    page.drawImage(embedded, { x: 0, y: 0, width: info.width * scale, height: info.height * scale });
    addTextLayer(doc, page, results[i], info.width, info.height, tf);
  }
  return doc.save();
}
