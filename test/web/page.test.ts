// The web page at / in a real headless Chromium (Debian's, driven by playwright-core): upload a
// corpus page and a 3-page PDF with an API key, follow the job, check the boxes drawn over each
// page against the result's lines, the text, the downloads, and that a wrong key shows an error.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';
import { type Browser, type Page, chromium } from 'playwright-core';

import { buildApp } from '../../src/app.js';
import { ROOT } from '../../src/models/manifest.js';
import { textPdf } from '../pdf/fixtures.js';
import { testConfig } from '../helper.js';
import { CORPUS, corpusPath, withoutCorpus } from '../corpus.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CORPUS_PAGE = path.join(CORPUS, 'dev', 'simh-pdp11_p003.png');
export const OUT = path.join(ROOT, 'dist', 'test-output', 'web');
const KEY = 'web-page-key-0123456789abcdef';

type Point = [number, number];
interface Line {
  text: string;
  confidence: number;
  bbox: Point[];
}

describe('web page', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} not installed (apt-get install chromium)` }, () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    mkdirSync(OUT, { recursive: true });
    app = await buildApp(testConfig({ API_KEYS: KEY }), { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    // Any script error or CSP refusal fails the suite.
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/401|Unauthorized/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await page.goto(base);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const result = async (id: string) => {
    const res = await fetch(`${base}/ocr/job/${id}/result`, { headers: { 'x-api-key': KEY } });
    assert.equal(res.status, 200);
    return res.json();
  };

  /** The boxes drawn for a page equal its lines: count, points, and where they land on the image. */
  async function assertBoxes(
    pageNumber: number,
    lines: Line[],
    width: number,
    blocks?: { bbox: [number, number][]; type: string }[],
  ) {
    const article = page.locator(`#results article[data-page="${pageNumber}"]`);
    await article.locator('.page-view[data-ready="true"]').waitFor();
    const polys = article.locator('polygon.line');
    assert.equal(await polys.count(), lines.length, `page ${pageNumber}: one box per line`);
    const drawn = await polys.evaluateAll((ps) =>
      ps.map((p) => ({ points: p.getAttribute('points'), text: (p as SVGElement).dataset.text })),
    );
    assert.deepEqual(
      drawn.map((d) => d.points),
      lines.map((l) => l.bbox.map(([x, y]) => `${x},${y}`).join(' ')),
    );
    assert.deepEqual(
      drawn.map((d) => d.text),
      lines.map((l) => l.text),
    );
    // On screen: each box sits where its bbox falls on the displayed image.
    const img = (await article.locator('img').boundingBox())!;
    const scale = img.width / width;
    // On screen: each box's corners land where its bbox falls on the displayed image (the SVG's
    // own transform to the screen, so the stroke width does not count).
    const onScreen = await polys.evaluateAll((ps) =>
      ps.map((p) => {
        const m = (p as SVGGraphicsElement).getScreenCTM()!;
        return [...(p as SVGPolygonElement).points].map((pt) => {
          const s = new DOMPoint(pt.x, pt.y).matrixTransform(m);
          return [s.x, s.y];
        });
      }),
    );
    lines.forEach((l, i) =>
      l.bbox.forEach(([x, y], k) => {
        const [sx, sy] = onScreen[i][k];
        const where = `page ${pageNumber} line ${i} corner ${k}: drawn at ${sx},${sy}, expected ${img.x + x * scale},${img.y + y * scale}`;
        assert.ok(Math.abs(sx - (img.x + x * scale)) < 1 && Math.abs(sy - (img.y + y * scale)) < 1, where);
      }),
    );
    const text = await article.locator('.page-text').innerText();
    assert.equal(text.trim(), lines.map((l) => l.text).join('\n'));
    // The blocks: an outline each, numbered in reading order.
    if (blocks) {
      const outlines = await article
        .locator('polygon.block')
        .evaluateAll((ps) => ps.map((p) => [p.getAttribute('points'), (p as SVGElement).dataset.type]));
      assert.deepEqual(
        outlines,
        blocks.map((b) => [b.bbox.map(([x, y]) => `${x},${y}`).join(' '), b.type]),
      );
      const labels = await article.locator('text.block-order').allTextContents();
      assert.deepEqual(
        labels,
        blocks.map((_, k) => String(k + 1)),
      );
    }
  }

  async function submit(file: string, options: { dpi?: string } = {}) {
    await page.setInputFiles('#file', file);
    if (options.dpi) await page.fill('#dpi', options.dpi);
    await page.click('#go');
    await page.waitForFunction(() => document.getElementById('results')!.dataset.done === undefined);
  }

  it('shows the API error for a wrong key', { skip: withoutCorpus('dev/simh-pdp11_p003.png') }, async () => {
    await page.fill('#api-key', 'not-the-key-0123456789abcdef');
    await submit(CORPUS_PAGE);
    await page.locator('#error').waitFor({ state: 'visible' });
    assert.match(await page.locator('#error').innerText(), /Unauthorized: The API key is not valid/);
    assert.equal(await page.locator('#results article').count(), 0);
  });

  it(
    'reads a corpus page: boxes over the page, hover text, full text, downloads',
    { skip: withoutCorpus('dev/simh-pdp11_p003.png') },
    async () => {
      await page.fill('#api-key', KEY);
      await submit(CORPUS_PAGE);
      await page.locator('#results[data-done="true"]').waitFor({ state: 'attached', timeout: 240_000 });
      assert.equal(await page.locator('#error').isHidden(), true);
      assert.equal(
        await page.evaluate(() => localStorage.getItem('ocr-api-key')),
        KEY,
        'the key stays in this browser',
      );
      const id = await page.locator('#job').getAttribute('data-job-id');
      const r = await result(id!);
      assert.ok(r.lines.length > 20, `${r.lines.length} lines on the corpus page`);
      assert.ok(r.blocks.length > 1, 'a corpus page has several blocks');
      await assertBoxes(1, r.lines, r.width, r.blocks);

      const first = page.locator('#results polygon.line').first();
      await first.hover();
      const tip = await page.locator('#tooltip').innerText();
      assert.ok(tip.startsWith(r.lines[0].text), tip);
      assert.match(tip, /\(\d+\.\d%\)$/);
      await page.screenshot({ path: path.join(OUT, 'web-page.png') });

      const fetchFormat = async (f: string) =>
        Buffer.from(
          await (
            await fetch(`${base}/ocr/job/${id}/result?format=${f}`, { headers: { 'x-api-key': KEY } })
          ).arrayBuffer(),
        );
      for (const [format, name] of [
        ['txt', 'simh-pdp11_p003.txt'],
        ['json', 'simh-pdp11_p003.json'],
        ['hocr', 'simh-pdp11_p003.hocr'],
        ['alto', 'simh-pdp11_p003.alto.xml'],
        ['pdf', 'simh-pdp11_p003.pdf'],
      ]) {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.click(`#downloads button[data-format="${format}"]`),
        ]);
        assert.equal(download.suggestedFilename(), name);
        const got = readFileSync((await download.path())!);
        if (format === 'pdf') assert.equal(got.subarray(0, 5).toString(), '%PDF-');
        else if (format === 'alto')
          assert.equal(
            got.toString().replace(/<processingDateTime>[^<]*/, ''),
            (await fetchFormat(format)).toString().replace(/<processingDateTime>[^<]*/, ''),
          );
        else assert.deepEqual(got, await fetchFormat(format), format);
      }
      assert.equal(
        readFileSync(
          (await (
            await Promise.all([page.waitForEvent('download'), page.click('#downloads button[data-format="txt"]')])
          )[0].path())!,
          'utf8',
        ),
        r.text,
      );
    },
  );

  it('follows a 3-page PDF page by page and shows every page with its boxes', async () => {
    const pdf = path.join(OUT, 'three-pages.pdf');
    writeFileSync(pdf, await textPdf(['The first page of three', 'Then the second page', 'And the third page']));
    await submit(pdf, { dpi: '150' });
    await page.locator('#results[data-done="true"]').waitFor({ state: 'attached', timeout: 120_000 });
    const id = await page.locator('#job').getAttribute('data-job-id');
    const r = await result(id!);
    assert.equal(r.pages.length, 3);
    assert.equal(await page.locator('#results article').count(), 3);
    assert.deepEqual(
      await page.locator('#page-states li.done').allInnerTexts(),
      r.pages.map(
        (p: { page: number; lines: Line[] }) =>
          `page ${p.page} ✓ ${p.lines.length} line${p.lines.length === 1 ? '' : 's'}`,
      ),
    );
    assert.equal(await page.locator('#job-count').innerText(), '3 / 3 pages');
    for (const p of r.pages) await assertBoxes(p.page, p.lines, p.width, p.blocks);
    await page.screenshot({ path: path.join(OUT, 'web-page-pdf.png'), fullPage: true });
  });

  it(
    'draws the borders of every table cell',
    { skip: withoutCorpus('tables/images/sqlite-walformat-locks.png') },
    async () => {
      await page.fill('#api-key', KEY);
      await submit(corpusPath('tables', 'images', 'sqlite-walformat-locks.png'));
      await page.locator('#results[data-done="true"]').waitFor({ state: 'attached', timeout: 240_000 });
      const id = await page.locator('#job').getAttribute('data-job-id');
      const r = await result(id!);
      assert.equal(r.tables.length, 1);
      const cells = r.tables.flatMap((t: { cells: { bbox: number[] }[] }) => t.cells);
      const rects = await page
        .locator('#results rect.table-cell')
        .evaluateAll((rs) => rs.map((e) => ['x', 'y', 'width', 'height'].map((a) => Number(e.getAttribute(a)))));
      assert.deepEqual(
        rects,
        cells.map(({ bbox: [x0, y0, x1, y1] }: { bbox: number[] }) => [x0, y0, x1 - x0, y1 - y0]),
      );
    },
  );

  it('raised no script error or CSP violation', () => {
    assert.deepEqual(problems, []);
  });
});
