// One page of a result: the page image with its block outlines (numbered in reading order, typed
// by colour), line and word boxes drawn over it in the result's pixel frame, hover for text and
// confidence, the page's text beside it.
import { api, count, dataUrl, failure } from './api.js';

const SVG = 'http://www.w3.org/2000/svg';
const tooltip = () => document.getElementById('tooltip');
const points = (bbox) => bbox.map(([x, y]) => `${x},${y}`).join(' ');

/** The pages of a result in one shape: { page, width, height, lines, blocks, success, error }. */
export function pagesOf(result) {
  if (Array.isArray(result.pages)) return result.pages;
  return [
    {
      page: 1,
      width: result.width,
      height: result.height,
      lines: result.lines,
      blocks: result.blocks,
      tables: result.tables,
      success: result.success,
      text: result.text,
    },
  ];
}

/** Each block's outline and its number in reading order (type in the tooltip). */
function drawBlocks(svg, page) {
  const size = Math.max(12, Math.round(Math.min(page.width, page.height) / 45));
  (page.blocks ?? []).forEach((b, k) => {
    const poly = document.createElementNS(SVG, 'polygon');
    poly.setAttribute('class', `block block-${b.type}`);
    poly.setAttribute('points', points(b.bbox));
    poly.dataset.order = String(k + 1);
    poly.dataset.type = b.type;
    const label = document.createElementNS(SVG, 'text');
    label.setAttribute('class', 'block-order');
    label.setAttribute('x', String(b.bbox[0][0]));
    label.setAttribute('y', String(b.bbox[0][1]));
    label.setAttribute('font-size', String(size));
    label.textContent = String(k + 1);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${k + 1}: ${b.type}`;
    poly.append(title);
    svg.append(poly, label);
  });
}

/** Each table's cells as rectangles (their borders), the cell's text and position in the tooltip. */
function drawTables(svg, page) {
  (page.tables ?? []).forEach((t, k) => {
    for (const c of t.cells) {
      const [x0, y0, x1, y1] = c.bbox;
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('class', `table-cell${c.header ? ' table-header' : ''}`);
      rect.setAttribute('x', String(x0));
      rect.setAttribute('y', String(y0));
      rect.setAttribute('width', String(Math.max(0, x1 - x0)));
      rect.setAttribute('height', String(Math.max(0, y1 - y0)));
      rect.dataset.table = String(k);
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `table ${k + 1}, row ${c.row + 1}, column ${c.col + 1}${c.rowspan > 1 || c.colspan > 1 ? ` (spans ${c.rowspan}x${c.colspan})` : ''}: ${c.text}`;
      rect.append(title);
      svg.append(rect);
    }
  });
}

function showTip(ev, line) {
  const tip = tooltip();
  tip.textContent = `${line.text}  (${(line.confidence * 100).toFixed(1)}%)`;
  tip.hidden = false;
  tip.style.left = `${ev.clientX + 12}px`;
  tip.style.top = `${ev.clientY + 12}px`;
}

function overlay(page) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${page.width} ${page.height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  return svg;
}

export async function renderPage(container, jobId, page) {
  const section = document.createElement('article');
  section.className = 'page';
  section.dataset.page = String(page.page);
  const title = document.createElement('h2');
  title.textContent = `Page ${page.page}${page.success === false ? ` — failed: ${page.error ?? ''}` : ` — ${count(page.lines.length, 'line')}`}`;
  section.append(title);
  container.append(section);
  if (page.success === false) return;

  const view = document.createElement('div');
  view.className = 'page-view';
  const img = document.createElement('img');
  img.alt = `page ${page.page}`;
  view.append(img);
  const svg = overlay(page);
  const text = document.createElement('pre');
  text.className = 'page-text';

  drawBlocks(svg, page);
  drawTables(svg, page);
  page.lines.forEach((line, i) => {
    const span = document.createElement('span');
    span.textContent = line.text;
    span.dataset.index = String(i);
    text.append(span, '\n');
    const poly = document.createElementNS(SVG, 'polygon');
    poly.setAttribute('class', 'line');
    poly.setAttribute('points', points(line.bbox));
    poly.dataset.index = String(i);
    poly.dataset.text = line.text;
    poly.dataset.confidence = String(line.confidence);
    poly.addEventListener('mousemove', (ev) => showTip(ev, line));
    poly.addEventListener('mouseenter', () => span.classList.add('hot'));
    poly.addEventListener('mouseleave', () => {
      tooltip().hidden = true;
      span.classList.remove('hot');
    });
    span.addEventListener('mouseenter', () => poly.classList.add('hot'));
    span.addEventListener('mouseleave', () => poly.classList.remove('hot'));
    svg.append(poly);
    for (const w of line.words ?? []) {
      const wp = document.createElementNS(SVG, 'polygon');
      wp.setAttribute('class', 'word');
      wp.setAttribute('points', points(w.bbox));
      svg.append(wp);
    }
  });
  view.append(svg);
  section.append(view, text);

  const res = await api(`/ocr/job/${jobId}/page/${page.page}.png`);
  if (!res.ok) throw await failure(res);
  img.src = await dataUrl(await res.blob());
  await img.decode().catch(() => {});
  view.dataset.ready = 'true';
}
