// `?format=html` / `--format html`: the result as simple semantic HTML, from the blocks in reading
// order: <h1>/<h2> headings, <p> paragraphs (lines joined as in Markdown), <ul>/<ol> lists, <pre>
// code, <table> with colspan/rowspan for tables found as cells; a page header/footer as <header>/
// <footer>. Several pages: one <section> each.
import type { JobOutput, PageText } from '../jobs/types.js';
import { LIST_MARKER } from '../layout/blocks.js';
import { type LayoutBlock, type LayoutPage, layoutOf } from './layout.js';
import { bodyHeight, codeLines, headingLevel, joinLines, listItems } from './markdown.js';
import { escapeHtml, htmlTable } from './tables.js';

function list(b: LayoutBlock, p: LayoutPage, lang?: string): string {
  const items = listItems(b, p);
  const first = LIST_MARKER.exec(items[0]?.[0] ?? '')?.[0] ?? '';
  const tag = /^\(?\d+[.)]$/.test(first) ? 'ol' : 'ul';
  const li = items.map((lines) => {
    const text = joinLines(lines, lang);
    const m = LIST_MARKER.exec(text);
    return `<li>${escapeHtml(m ? text.slice(m[0].length).trimStart() : text)}</li>`;
  });
  return `<${tag}>\n${li.join('\n')}\n</${tag}>`;
}

function block(b: LayoutBlock, p: LayoutPage, body: number, lang?: string): string {
  const texts = b.lines.map((i) => p.lines[i].text);
  switch (b.type) {
    case 'heading': {
      const h = `h${headingLevel(b, p, body)}`;
      return `<${h}>${escapeHtml(joinLines(texts, lang))}</${h}>`;
    }
    case 'list':
      return list(b, p, lang);
    case 'code':
      return `<pre><code>${escapeHtml(codeLines(b, p).join('\n'))}</code></pre>`;
    case 'table': {
      const t = b.table !== undefined ? p.tables[b.table] : undefined;
      return t ? htmlTable(t) : `<p>${texts.map(escapeHtml).join('<br>')}</p>`;
    }
    case 'header':
      return `<header>${escapeHtml(joinLines(texts, lang))}</header>`;
    case 'footer':
      return `<footer>${escapeHtml(joinLines(texts, lang))}</footer>`;
    default:
      return `<p>${escapeHtml(joinLines(texts, lang))}</p>`;
  }
}

export function pageHtml(p: LayoutPage, lang?: string): string {
  const body = bodyHeight(p);
  return p.blocks.map((b) => block(b, p, body, lang)).join('\n');
}

export function html(output: JobOutput, title = 'OCR result'): string {
  const pages = layoutOf(output);
  const langs: (string | undefined)[] =
    output.kind === 'pdf' || output.pages
      ? ((output.pages ?? []) as PageText[]).map((p) => p.language)
      : [output.language];
  const lang = langs.find((l) => l && l !== 'und');
  const parts = pages.map((p, k) => pageHtml(p, langs[k]));
  const main =
    parts.length === 1
      ? parts[0]
      : parts.map((m, k) => `<section id="page-${pages[k].page}">\n${m}\n</section>`).join('\n');
  const head = `<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n</head>`;
  const html = `<html${lang ? ` lang="${escapeHtml(lang)}"` : ''}>`;
  return `<!DOCTYPE html>\n${html}\n${head}\n<body>\n${main}\n</body>\n</html>\n`;
}
