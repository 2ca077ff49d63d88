// The layout module on synthetic pages: columns, spanning titles, header/footer, key/description
// rows, and the same page turned by 90/180/270 degrees (boxes in the turned image's pixels).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { pageLayout } from '../../src/layout/index.js';
import type { OcrLine, Point } from '../../src/native/engine.js';

type Rot = 0 | 90 | 180 | 270;
const W = 2000;
const H = 2800;

function line(text: string, x0: number, y0: number, x1: number, y1: number): OcrLine {
  return {
    text,
    confidence: 0.99,
    bbox: [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ],
  };
}

/** A page: running header, full-width title, two columns of 12 lines each, a footer. */
function twoColumnPage(): OcrLine[] {
  const out: OcrLine[] = [
    line('Running header', 200, 100, 700, 140),
    line('A Title Across Both Columns', 300, 300, 1700, 380),
  ];
  for (let i = 0; i < 12; i++) out.push(line(`left ${i}`, 200, 500 + i * 60, 950, 540 + i * 60));
  for (let i = 0; i < 12; i++) out.push(line(`right ${i}`, 1050, 500 + i * 60, 1800, 540 + i * 60));
  out.push(line('Page 7', 950, 2650, 1050, 2690));
  return out;
}

/** The submitted image turned so that `rot` clockwise makes it upright: a point of the upright page in it. */
function turn([x, y]: Point, rot: Rot): Point {
  // Turned by 90 (270) counter-clockwise... i.e. so that a 90 (270) degree clockwise turn undoes it.
  if (rot === 90) return [y, W - x];
  if (rot === 180) return [W - x, H - y];
  if (rot === 270) return [H - y, x];
  return [x, y];
}

const expected = [
  'Running header',
  'A Title Across Both Columns',
  ...Array.from({ length: 12 }, (_, i) => `left ${i}`),
  ...Array.from({ length: 12 }, (_, i) => `right ${i}`),
  'Page 7',
];

describe('pageLayout', () => {
  it('reads columns left to right under a spanning title, header first, footer last', () => {
    // Engine order: top to bottom across the page (the columns' lines alternate).
    const lines = twoColumnPage().sort((a, b) => a.bbox[0][1] - b.bbox[0][1] || a.bbox[0][0] - b.bbox[0][0]);
    const l = pageLayout({ lines, width: W, height: H });
    assert.deepEqual(
      l.lines.map((x) => x.text),
      expected,
    );
    assert.deepEqual(
      l.blocks.map((b) => b.type),
      ['header', 'heading', 'text', 'text', 'footer'],
    );
    assert.deepEqual(
      l.blocks.flatMap((b) => b.lines),
      expected.map((_, i) => i),
      'blocks cover every line once, in order',
    );
    assert.deepEqual(l.blocks[2].bbox, [
      [200, 500],
      [950, 500],
      [950, 1200],
      [200, 1200],
    ]);
  });

  for (const rot of [90, 180, 270] as Rot[]) {
    it(`gives the same order for a page turned by ${rot} degrees, block boxes in the turned image's pixels`, () => {
      const upright = pageLayout({ lines: twoColumnPage(), width: W, height: H });
      const turned = twoColumnPage().map((l) => ({ ...l, bbox: l.bbox.map((p) => turn(p, rot)) as OcrLine['bbox'] }));
      turned.reverse();
      const size = rot === 180 ? { width: W, height: H } : { width: H, height: W };
      const l = pageLayout({ lines: turned, ...size, rotation: rot });
      assert.deepEqual(
        l.lines.map((x) => x.text),
        expected,
      );
      assert.deepEqual(
        l.blocks.map((b) => b.type),
        upright.blocks.map((b) => b.type),
      );
      l.blocks.forEach((b, k) => {
        const want = upright.blocks[k].bbox.map((p) => turn(p, rot));
        assert.deepEqual(b.bbox, want, `block ${k}: corners clockwise from its top-left as read`);
      });
    });
  }

  it('right to left: the right column first, block boxes still clockwise from the top-left', () => {
    const l = pageLayout({ lines: twoColumnPage(), width: W, height: H, rtl: true });
    const texts = l.lines.map((x) => x.text);
    assert.deepEqual(texts.slice(2, 26), [
      ...Array.from({ length: 12 }, (_, i) => `right ${i}`),
      ...Array.from({ length: 12 }, (_, i) => `left ${i}`),
    ]);
    const right = l.blocks.find((b) => l.lines[b.lines[0]].text === 'right 0')!;
    assert.deepEqual(right.bbox, [
      [1050, 500],
      [1800, 500],
      [1800, 1200],
      [1050, 1200],
    ]);
  });

  it('reads key/description rows across (a table)', () => {
    const lines: OcrLine[] = [];
    const keys = ['quit', 'help command', 'doc', 'lookfor str', 'C-l'];
    keys.forEach((k, i) => {
      lines.push(line(k, 100, 300 + i * 40, 100 + k.length * 16, 328 + i * 40));
      lines.push(line(`does ${k} things`, 420, 300 + i * 40, 800, 328 + i * 40));
    });
    const l = pageLayout({ lines: [...lines].reverse(), width: 1000, height: 800 });
    assert.deepEqual(
      l.lines.map((x) => x.text),
      lines.map((x) => x.text),
    );
    assert.ok(l.blocks.some((b) => b.type === 'table'));
  });

  it('finds a gutter one character wide that runs the height of the columns; a heading row stays in its columns', () => {
    // Lines 40 px high (about 20 px a character); the gutter is 26 px: straight, the columns' full height.
    const lines: OcrLine[] = [line('A Title Across Both Columns', 300, 100, 1700, 160)];
    lines.push(line('Left heading', 200, 300, 600, 340), line('Right heading', 1012, 300, 1400, 340));
    for (let i = 0; i < 14; i++) lines.push(line(`left ${i}`, 200, 420 + i * 50, 986, 460 + i * 50));
    for (let i = 0; i < 14; i++) lines.push(line(`right ${i}`, 1012, 420 + i * 50, 1800, 460 + i * 50));
    const engineOrder = [...lines].sort((a, b) => a.bbox[0][1] - b.bbox[0][1] || a.bbox[0][0] - b.bbox[0][0]);
    const l = pageLayout({ lines: engineOrder, width: 2000, height: 1400 });
    assert.deepEqual(
      l.lines.map((x) => x.text),
      [
        'A Title Across Both Columns',
        'Left heading',
        ...Array.from({ length: 14 }, (_, i) => `left ${i}`),
        'Right heading',
        ...Array.from({ length: 14 }, (_, i) => `right ${i}`),
      ],
    );
  });

  it('lays out 10,000 scattered boxes in bounded time (it runs on the API thread)', () => {
    let seed = 1;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const lines: OcrLine[] = [];
    for (let i = 0; i < 10_000; i++) {
      const x = rnd() * 4000;
      const y = rnd() * 6000;
      lines.push(line(`w${i}`, x, y, x + 20 + rnd() * 300, y + 15 + rnd() * 20));
    }
    const t = performance.now();
    const l = pageLayout({ lines });
    const ms = performance.now() - t;
    assert.equal(l.lines.length, lines.length);
    // About 0.2 s here; was 4.6 s before the crossing count doubled per round and row pairing used a sorted index.
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });

  it('keeps every line: only the order changes', () => {
    const lines = twoColumnPage();
    const l = pageLayout({ lines });
    assert.deepEqual([...l.lines].map((x) => x.text).sort(), lines.map((x) => x.text).sort());
    assert.deepEqual(pageLayout({ lines: [] }), { lines: [], blocks: [] });
  });
});
