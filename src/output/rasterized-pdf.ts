// The searchable PDF of a `pdf_text=force` job: each recognized page is replaced by its render
// (JPEG, at the dpi it was read at) with the OCR text over it, so the file's own text, whatever it
// was (garbled, partial, wrong), is gone and every word is in the file once. Pages the job did not
// read (outside `pages`, failed) are kept as they were.
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';

import type { JobOutput } from '../jobs/types.js';
import { openPdf } from '../pdf/render.js';
import { addTextLayer, embedFont, viewToUser } from './pdf-text-layer.js';

export async function rasterizedPdf(
  source: Buffer,
  output: Extract<JobOutput, { kind: 'pdf' }>,
  fontFile: Buffer | null,
): Promise<Uint8Array> {
  const original = await PDFDocument.load(source, { updateMetadata: false });
  const out = await PDFDocument.create();
  const tf = await embedFont(out, fontFile);
  const byPage = new Map(output.pages.map((p) => [p.page, p]));
  const pdf = await openPdf(source);
  try {
    const originals = original.getPages();
    for (let i = 0; i < originals.length; i++) {
      const r = byPage.get(i + 1);
      if (!r?.success) {
        const [copy] = await out.copyPages(original, [i]);
        out.addPage(copy);
        continue;
      }
      const dpi = r.dpi ?? output.processing_dpi;
      // RGBA: the library asks PDFium for BGRA with its bytes reversed.
      const px = await pdf.raw.doc.getPage(i).render({ scale: dpi / 72, colorSpace: 'BGRA', render: 'bitmap' });
      const jpeg = await sharp(px.data, { raw: { width: px.width, height: px.height, channels: 4 } })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 85 })
        .toBuffer();
      const { viewW, viewH } = viewToUser(originals[i]);
      const page = out.addPage([viewW, viewH]);
      page.drawImage(await out.embedJpg(jpeg), { x: 0, y: 0, width: viewW, height: viewH });
      addTextLayer(out, page, r, r.width ?? px.width, r.height ?? px.height, tf);
    }
  } finally {
    pdf.close();
  }
  return out.save();
}
