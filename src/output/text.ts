// `?format=txt`: the recognized text in reading order, a blank line between blocks, one page after
// the other, separated by form feeds (\f), the page separator of pdftotext and most text tools.
import type { JobOutput } from '../jobs/types.js';

export function plainText(output: JobOutput): string {
  const pages = output.kind === 'pdf' ? output.pages : output.pages;
  if (!pages) return output.kind === 'image' ? output.text : '';
  return pages.map((p) => p.text).join('\f');
}
