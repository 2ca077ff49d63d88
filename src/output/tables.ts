// A table's cells written out: a Markdown pipe table (when no cell spans: a pipe table cannot say
// a span), an HTML <table> with colspan/rowspan, CSV (RFC 4180; a spanning cell's text in its
// top-left position, the positions it covers empty).
import type { Table, TableCell } from '../tables/index.js';

/** The table as rows of positions; a spanning cell at its top-left position, undefined where it covers. */
export function positions(t: Table): (TableCell | undefined)[][] {
  const rows: (TableCell | undefined)[][] = Array.from({ length: t.rows }, () =>
    Array<TableCell | undefined>(t.cols).fill(undefined),
  );
  for (const c of t.cells) if (c.row < t.rows && c.col < t.cols) rows[c.row][c.col] = c;
  return rows;
}

const spans = (t: Table) => t.cells.some((c) => c.rowspan > 1 || c.colspan > 1);

/** A pipe table, or undefined where a cell spans (then only HTML says it right). */
export function pipeTable(t: Table): string | undefined {
  if (spans(t) || t.cols < 1) return undefined;
  const cell = (c: TableCell | undefined) => (c?.text ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
  const line = (r: (TableCell | undefined)[]) => `| ${r.map(cell).join(' | ')} |`;
  const rows = positions(t);
  return [line(rows[0]), `|${' --- |'.repeat(t.cols)}`, ...rows.slice(1).map(line)].join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An HTML table: header rows in <thead> with <th>, spans as colspan/rowspan. */
export function htmlTable(t: Table): string {
  const rows = positions(t);
  const row = (r: (TableCell | undefined)[]) =>
    `<tr>${r
      .filter((c): c is TableCell => !!c)
      .map((c) => {
        const tag = c.header ? 'th' : 'td';
        const colspan = c.colspan > 1 ? ` colspan="${c.colspan}"` : '';
        const attrs = `${colspan}${c.rowspan > 1 ? ` rowspan="${c.rowspan}"` : ''}`;
        return `<${tag}${attrs}>${escapeHtml(c.text)}</${tag}>`;
      })
      .join('')}</tr>`;
  let head = 0;
  while (head < rows.length && rows[head].some((c) => c?.header)) head++;
  const parts = ['<table>'];
  if (head) parts.push(`<thead>${rows.slice(0, head).map(row).join('')}</thead>`);
  parts.push(`<tbody>${rows.slice(head).map(row).join('')}</tbody>`, '</table>');
  return parts.join('');
}

/** CSV (RFC 4180, CRLF line ends): one record a row. */
export function csvTable(t: Table): string {
  const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return positions(t)
    .map((r) => r.map((c) => field(c?.text ?? '')).join(','))
    .map((l) => `${l}\r\n`)
    .join('');
}
