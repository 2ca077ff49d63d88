// Reading-order score, the same as the corpus' order.mjs (which reads directories): each predicted
// line is matched to the ground-truth line it overlaps most (IoU >= 0.3, boxes made axis-aligned);
// over the matched lines, in the prediction's order, the share of pairs the ground truth orders the
// other way (Kendall distance; 0 = the reader's order).
import { execFileSync } from 'node:child_process';

export const aabb = (b) => {
  if (!b) return null;
  if (typeof b[0] === 'number') return b.length === 4 ? b : null;
  const xs = b.map((p) => p[0]);
  const ys = b.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
};

const iou = (a, b) => {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const i = w * h;
  return i / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - i);
};

/** { pairs, discordant, share } of predicted lines (in their order) against GT lines (in reading order). */
export function discordant(gtLines, predLines) {
  const G = gtLines.map((l) => aabb(l.bbox));
  const seq = [];
  for (const p of predLines) {
    const b = aabb(p.bbox);
    if (!b) continue;
    let best = -1;
    let bi = 0.3;
    G.forEach((g, k) => {
      const v = iou(b, g);
      if (v > bi) {
        bi = v;
        best = k;
      }
    });
    if (best >= 0) seq.push(best);
  }
  let pairs = 0;
  let disc = 0;
  for (let i = 0; i < seq.length; i++) {
    for (let j = i + 1; j < seq.length; j++) {
      if (seq[i] !== seq[j]) {
        pairs++;
        if (seq[i] > seq[j]) disc++;
      }
    }
  }
  return { pairs, discordant: disc, share: pairs ? disc / pairs : 0, matched: seq.length };
}

/** Tesseract's text lines of an image in its order (`--psm 3`, TSV level 4), boxes [x0, y0, x1, y1]. */
export function tesseractLines(png) {
  const tsv = execFileSync('tesseract', [png, '-', '-l', 'eng', '--psm', '3', 'tsv'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const lines = new Map();
  for (const row of tsv.split('\n').slice(1)) {
    const c = row.split('\t');
    if (c.length < 12) continue;
    const key = `${c[2]}.${c[3]}.${c[4]}`;
    const [x, y, w, h] = c.slice(6, 10).map(Number);
    if (c[0] === '4') lines.set(key, { text: '', bbox: [x, y, x + w, y + h] });
    else if (c[0] === '5' && c[11].trim() && lines.has(key)) {
      const l = lines.get(key);
      l.text = l.text ? `${l.text} ${c[11]}` : c[11];
    }
  }
  return [...lines.values()].filter((l) => l.text);
}
