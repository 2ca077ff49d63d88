// `?format=md` / `--format md`: Markdown, written from the result's blocks in reading order.
// Headings `#` / `##` by their line height against the page's text; paragraphs with their lines
// joined (a hyphen at a line end is dropped only where the joined word is in the page language's
// hunspell dictionary, else kept: "well-known"); list items (a bullet becomes `-`, numbers stay);
// code blocks fenced, their indentation rebuilt from the character pitch; a table found as cells
// (src/tables) as a pipe table, or an HTML <table> where a cell spans; other table blocks as rows
// of `|` cells when every row has as many cells, else one row a line. Pages are separated by a rule.
// Nothing is dropped or added besides that markup and the escapes that keep text literal.
import type { JobOutput, PageText } from '../jobs/types.js';
import { dictionaryFor } from '../lang/dictionaries.js';
import { fold } from '../lang/hunspell.js';
import { LIST_MARKER } from '../layout/blocks.js';
import { htmlTable, pipeTable } from './tables.js';
import { type LayoutBlock, type LayoutLine, type LayoutPage, layoutOf } from './layout.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : 0;
};
const height = (l: LayoutLine) => l.box.y1 - l.box.y0;

/** Whether `word` is a word of the language (its dictionary; none: never). */
function inDictionary(word: string, lang: string | undefined): boolean {
  if (!lang || lang === 'und') return false;
  const dict = dictionaryFor(lang);
  if (!dict) return false;
  return dict.index.forms(fold(word)).has(word.toLowerCase());
}

/** Lines of one paragraph joined by spaces; a hyphenated line end is undone where the dictionary knows the word. */
export function joinLines(texts: string[], lang: string | undefined): string {
  let out = '';
  for (const raw of texts) {
    const t = raw.trim();
    if (!t) continue;
    if (!out) {
      out = t;
      continue;
    }
    const head = /([\p{L}]+)-$/u.exec(out);
    const tail = /^([\p{Ll}][\p{L}]*)/u.exec(t);
    if (head && tail) {
      const joined = head[1] + tail[1];
      out = inDictionary(joined, lang) ? out.slice(0, -1) + t : out + t;
    } else out += ` ${t}`;
  }
  return out;
}

/** Keeps a paragraph's text literal: a line start that Markdown would read as markup is escaped. */
function literal(s: string): string {
  return s.replace(/^(\s*)([#>]|[-+*](?=\s)|=+\s*$|-+\s*$)/, '$1\\$2').replace(/^(\s*\d{1,9})([.)])(?=\s)/, '$1\\$2');
}

/** 1 for a heading half again as tall as the page's body text, else 2. */
export function headingLevel(b: LayoutBlock, p: LayoutPage, body: number): 1 | 2 {
  return median(b.lines.map((i) => height(p.lines[i]))) >= 1.5 * body ? 1 : 2;
}

/** The page's body text height: the median line height of its paragraphs and lists. */
export function bodyHeight(p: LayoutPage): number {
  const textHeights = p.blocks
    .filter((b) => b.type === 'text' || b.type === 'list')
    .flatMap((b) => b.lines.map((i) => height(p.lines[i])));
  return median(textHeights.length ? textHeights : p.lines.map(height)) || 1;
}

function heading(b: LayoutBlock, p: LayoutPage, body: number, lang?: string): string {
  const level = headingLevel(b, p, body) === 1 ? '#' : '##';
  return `${level} ${joinLines(
    b.lines.map((i) => p.lines[i].text),
    lang,
  )}`;
}

/** A list block's items: each starts at a line with a list marker and runs to the next. */
export function listItems(b: LayoutBlock, p: LayoutPage): string[][] {
  const items: string[][] = [];
  for (const i of b.lines) {
    const t = p.lines[i].text.trim();
    if (LIST_MARKER.test(t) || !items.length) items.push([t]);
    else items[items.length - 1].push(t);
  }
  return items;
}

function list(b: LayoutBlock, p: LayoutPage, lang?: string): string {
  return listItems(b, p)
    .map((lines) => {
      const text = joinLines(lines, lang);
      const m = LIST_MARKER.exec(text);
      if (!m) return literal(text);
      const marker = m[0];
      const rest = text.slice(marker.length).trimStart();
      if (/^\(?\d+[.)]$/.test(marker) && !marker.startsWith('(')) return `${marker} ${rest}`;
      if (/^[•·▪◦‣∙●○■□►▸\-–—*+]$/u.test(marker)) return `- ${rest}`;
      return `- ${marker} ${rest}`;
    })
    .join('\n');
}

/** A code block's lines, their indentation rebuilt from the character pitch. */
export function codeLines(b: LayoutBlock, p: LayoutPage): string[] {
  const lines = b.lines.map((i) => p.lines[i]);
  const left = Math.min(...lines.map((l) => l.box.x0));
  const pitches = lines.map((l) => (l.box.x1 - l.box.x0) / Math.max(1, [...l.text].length));
  const pitch = median(pitches) || 1;
  return lines.map((l) => ' '.repeat(Math.max(0, Math.round((l.box.x0 - left) / pitch))) + l.text);
}

function code(b: LayoutBlock, p: LayoutPage): string {
  const body = codeLines(b, p);
  const fence = body.some((l) => l.includes('```')) ? '~~~' : '```';
  return [fence, ...body, fence].join('\n');
}

/** Rows of a table block: lines whose vertical centres are within half a line height. */
function tableRows(b: LayoutBlock, p: LayoutPage): LayoutLine[][] {
  const rows: LayoutLine[][] = [];
  for (const i of b.lines) {
    const l = p.lines[i];
    const row = rows[rows.length - 1];
    const cy = (x: LayoutLine) => (x.box.y0 + x.box.y1) / 2;
    if (row && Math.abs(cy(row[0]) - cy(l)) <= 0.5 * Math.min(height(row[0]), height(l))) row.push(l);
    else rows.push([l]);
  }
  return rows;
}

function table(b: LayoutBlock, p: LayoutPage): string {
  const found = b.table !== undefined ? p.tables[b.table] : undefined;
  if (found) return pipeTable(found) ?? htmlTable(found);
  const rows = tableRows(b, p);
  const cells = (r: LayoutLine[]) => r.map((l) => l.text.replace(/\|/g, '\\|'));
  const n = rows[0].length;
  if (n >= 2 && rows.every((r) => r.length === n)) {
    const line = (r: string[]) => `| ${r.join(' | ')} |`;
    return [line(cells(rows[0])), line(Array(n).fill('---')), ...rows.slice(1).map((r) => line(cells(r)))].join('\n');
  }
  // Rows of different lengths: one row a line (a hard break between them).
  return rows.map((r) => literal(r.map((l) => l.text).join(' '))).join('  \n');
}

function pageMarkdown(p: LayoutPage, lang?: string): string {
  const body = bodyHeight(p);
  return p.blocks
    .map((b) => {
      const texts = b.lines.map((i) => p.lines[i].text);
      switch (b.type) {
        case 'heading':
          return heading(b, p, body, lang);
        case 'list':
          return list(b, p, lang);
        case 'code':
          return code(b, p);
        case 'table':
          return table(b, p);
        default:
          return literal(joinLines(texts, lang));
      }
    })
    .filter(Boolean)
    .join('\n\n');
}

export function markdown(output: JobOutput): string {
  const pages = layoutOf(output);
  const langs: (string | undefined)[] =
    output.kind === 'pdf' || output.pages
      ? ((output.pages ?? []) as PageText[]).map((p) => p.language)
      : [output.language];
  const parts = pages.map((p, k) => pageMarkdown(p, langs[k]));
  if (parts.length <= 1) return `${parts[0] ?? ''}\n`;
  return `${parts.map((m, k) => `<!-- page ${pages[k].page} -->\n\n${m}`).join('\n\n---\n\n')}\n`;
}
