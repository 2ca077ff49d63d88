// `?format=hocr`: hOCR 1.2 (XHTML). One ocr_page per processed page (PDF or TIFF page), one
// ocr_carea (ocr_table for a table found as cells) holding one ocr_par per block of the result (in reading order),
// ocr_line per line, ocrx_word per word with `bbox` and
// `x_wconf` (0-100). Coordinates are the page's pixels (the frame of the JSON boxes);
// `scan_res` records the dpi when known.
import type { JobOutput } from '../jobs/types.js';
import { type Box, type LayoutPage, layoutOf, xml } from './layout.js';

const bbox = (b: Box) => `bbox ${b.x0} ${b.y0} ${b.x1} ${b.y1}`;

function page(p: LayoutPage, filename: string, n: number): string {
  const pageBox = { x0: 0, y0: 0, x1: p.width, y1: p.height };
  const title = [`image "${filename.replace(/["\\]/g, '_')}"`, bbox(pageBox), `ppageno ${p.page - 1}`];
  if (p.dpi) title.push(`scan_res ${p.dpi} ${p.dpi}`);
  // The page's language (lang=auto: detected, e.g. ru for a Cyrillic page) on its ocr_page.
  const lang = p.language ? ` lang="${xml(p.language)}"` : '';
  const out = [`  <div class="ocr_page" id="page_${n}"${lang} title='${xml(title.join('; '))}'>`];
  p.blocks.forEach((b, k) => {
    const area = `${n}_${k + 1}`;
    // A table found as cells is an ocr_table (its lines row by row), other blocks ocr_carea.
    const cls = b.table !== undefined ? 'ocr_table' : 'ocr_carea';
    out.push(`   <div class="${cls}" id="block_${area}" title="${bbox(b.box)}">`);
    out.push(`    <p class="ocr_par" id="par_${area}" title="${bbox(b.box)}">`);
    for (const i of b.lines) {
      const l = p.lines[i];
      const id = `${n}_${i + 1}`;
      const words = l.words
        .map(
          (w, j) =>
            `<span class="ocrx_word" id="word_${id}_${j + 1}" title="${bbox(w.box)}; x_wconf ` +
            `${Math.round(w.confidence * 100)}">${xml(w.text)}</span>`,
        )
        .join(' ');
      // A page read turned: its lines lie turned counter-clockwise by the page's rotation.
      const angle = p.rotation ? `; textangle ${p.rotation}` : '';
      out.push(`     <span class="ocr_line" id="line_${id}" title="${bbox(l.box)}${angle}">${words}</span>`);
    }
    out.push('    </p>', '   </div>');
  });
  out.push('  </div>');
  return out.join('\n');
}

export function hocr(output: JobOutput, filename: string, imageDpi?: number): string {
  const pages = layoutOf(output, imageDpi);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" ' +
      '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
    ' <head>',
    `  <title>${xml(filename)}</title>`,
    '  <meta http-equiv="Content-Type" content="text/html; charset=utf-8" />',
    '  <meta name="ocr-system" content="ocr-service (PaddleOCR on ONNX Runtime)" />',
    '  <meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_table ocr_par ocr_line ocrx_word" />',
    `  <meta name="ocr-number-of-pages" content="${pages.length}" />`,
    ' </head>',
    ' <body>',
    ...pages.map((p, i) => page(p, filename, i + 1)),
    ' </body>',
    '</html>',
    '',
  ].join('\n');
}
