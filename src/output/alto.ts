// `?format=alto`: ALTO v4 XML. One Page per processed page (PDF or TIFF page) with one PrintSpace
// and one TextBlock per block of the result, in reading order (the document order of the blocks is
// the reading order: no ReadingOrder element, which the schema subset we validate against leaves
// out); TextLine per line, String per word (HPOS VPOS WIDTH HEIGHT,
// WC 0..1), SP between words. MeasurementUnit is pixel, in the page's pixel frame (the JSON
// boxes'); the dpi of each page is recorded in the processing settings. A table found as cells is a
// ComposedBlock TYPE="table" around its block (its lines row by row).
import type { JobOutput } from '../jobs/types.js';
import { type Box, type LayoutPage, layoutOf, xml } from './layout.js';

export const ALTO_NS = 'http://www.loc.gov/standards/alto/ns-v4#';

const pos = (b: Box) => `HPOS="${b.x0}" VPOS="${b.y0}" WIDTH="${b.x1 - b.x0}" HEIGHT="${b.y1 - b.y0}"`;
const wc = (c: number) => (Math.round(Math.min(1, Math.max(0, c)) * 1000) / 1000).toString();

function page(p: LayoutPage, n: number): string {
  const out = [`    <Page ID="P${n}" PHYSICAL_IMG_NR="${p.page}" WIDTH="${p.width}" HEIGHT="${p.height}">`];
  out.push(`      <PrintSpace HPOS="0" VPOS="0" WIDTH="${p.width}" HEIGHT="${p.height}">`);
  p.blocks.forEach((b, k) => {
    // ROTATION: the text's angle in the block, counter-clockwise (a page read turned by p.rotation).
    const rot = p.rotation ? ` ROTATION="${p.rotation}"` : '';
    // A table found as cells: a ComposedBlock of TYPE table around its lines' block.
    const table = b.table !== undefined;
    if (table) out.push(`        <ComposedBlock ID="P${n}_T${b.table! + 1}" ${pos(b.box)} TYPE="table">`);
    const lang = p.language ? ` LANG="${xml(p.language)}"` : '';
    out.push(`        <TextBlock ID="P${n}_B${k + 1}" ${pos(b.box)}${rot}${lang}>`);
    for (const i of b.lines) {
      const l = p.lines[i];
      const id = `P${n}_L${i + 1}`;
      out.push(`          <TextLine ID="${id}" ${pos(l.box)}>`);
      l.words.forEach((w, j) => {
        if (j > 0) {
          const prev = l.words[j - 1].box;
          const gap = Math.max(0, w.box.x0 - prev.x1);
          out.push(`            <SP WIDTH="${gap}" HPOS="${prev.x1}" VPOS="${prev.y0}"/>`);
        }
        out.push(
          `            <String ID="${id}_W${j + 1}" CONTENT="${xml(w.text)}" ${pos(w.box)} WC="${wc(w.confidence)}"/>`,
        );
      });
      out.push('          </TextLine>');
    }
    out.push('        </TextBlock>');
    if (table) out.push('        </ComposedBlock>');
  });
  out.push('      </PrintSpace>', '    </Page>');
  return out.join('\n');
}

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const ALTO_XSD = 'http://www.loc.gov/alto/v4/alto-4-4.xsd';

export function alto(output: JobOutput, filename: string, imageDpi?: number, now = new Date()): string {
  const pages = layoutOf(output, imageDpi);
  const settings = pages
    .map((p) => `page ${p.page}: ${p.dpi ? `${p.dpi} dpi` : 'dpi unknown'}, ${p.width}x${p.height} px`)
    .join('; ');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<alto xmlns="${ALTO_NS}" xmlns:xsi="${XSI_NS}" xsi:schemaLocation="${ALTO_NS} ${ALTO_XSD}" SCHEMAVERSION="4.4">`,
    '  <Description>',
    '    <MeasurementUnit>pixel</MeasurementUnit>',
    '    <sourceImageInformation>',
    `      <fileName>${xml(filename)}</fileName>`,
    '    </sourceImageInformation>',
    '    <Processing ID="OCR_1">',
    '      <processingCategory>contentGeneration</processingCategory>',
    `      <processingDateTime>${now.toISOString()}</processingDateTime>`,
    `      <processingStepSettings>${xml(settings)}</processingStepSettings>`,
    '      <processingSoftware>',
    '        <softwareName>ocr-service (PaddleOCR on ONNX Runtime)</softwareName>',
    '      </processingSoftware>',
    '    </Processing>',
    '  </Description>',
    '  <Layout>',
    ...pages.map((p, i) => page(p, i + 1)),
    '  </Layout>',
    '</alto>',
    '',
  ].join('\n');
}
