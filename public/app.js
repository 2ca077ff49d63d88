// The page's flow: pick or drop a file, submit it with dpi/pages/language, follow the job page by
// page, then show each page with its boxes and offer the downloads. Same origin only.
import { api, apiKey, count, failure } from './api.js';
import { pagesOf, renderPage } from './viewer.js';

const $ = (id) => document.getElementById(id);
let file;
let jobId;
let jobName = 'result';

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

function choose(f) {
  file = f;
  $('file-name').textContent = f
    ? `${f.name} (${Math.round(f.size / 1024)} KB)`
    : 'JPEG, PNG, BMP, TIFF, WebP, GIF or PDF';
  $('go').disabled = !f;
}

const isPdf = (f) => f.type === 'application/pdf' || /\.pdf$/i.test(f.name);

function submissionUrl(f) {
  const q = new URLSearchParams({ lang: $('lang').value });
  if (!isPdf(f)) return `/ocr/image?${q}`;
  q.set('dpi', $('dpi').value || '300');
  if ($('pages').value.trim()) q.set('pages', $('pages').value.trim());
  return `/ocr/pdf?${q}`;
}

function progress(p, status, donePages) {
  $('job-status').textContent = status;
  $('job-progress').max = Math.max(1, p.total_pages);
  $('job-progress').value = p.pages_done;
  $('job-count').textContent = `${p.pages_done} / ${count(p.total_pages, 'page')}`;
  if (!donePages) return;
  const list = $('page-states');
  list.replaceChildren(
    ...donePages.map((pg) => {
      const li = document.createElement('li');
      li.className = pg.success === false ? 'failed' : 'done';
      li.textContent = `page ${pg.page} ${pg.success === false ? 'failed' : `✓ ${count(pg.lines.length, 'line')}`}`;
      return li;
    }),
  );
}

async function follow(id) {
  for (;;) {
    const res = await api(`/ocr/job/${id}/result?partial=true`);
    if (res.status === 200) return res.json();
    if (res.status !== 202) throw await failure(res);
    const body = await res.json();
    progress(body.progress ?? { pages_done: 0, total_pages: 1 }, body.status, body.pages);
    await new Promise((r) => setTimeout(r, 400));
  }
}

async function run(ev) {
  ev.preventDefault();
  if (!file) return;
  showError('');
  $('results').replaceChildren();
  delete $('results').dataset.done;
  $('page-states').replaceChildren();
  $('downloads').hidden = true;
  $('go').disabled = true;
  try {
    const form = new FormData();
    form.append('file', file, file.name);
    const res = await api(submissionUrl(file), { method: 'POST', body: form });
    if (res.status !== 202) throw await failure(res);
    const accepted = await res.json();
    jobId = accepted.job_id;
    jobName = file.name.replace(/\.[^.]*$/, '') || 'result';
    $('job').hidden = false;
    $('job').dataset.jobId = jobId;
    progress({ pages_done: 0, total_pages: 1 }, 'queued');
    const result = await follow(jobId);
    const pages = pagesOf(result);
    progress(
      { pages_done: pages.length, total_pages: pages.length },
      result.cached ? 'completed (cached)' : 'completed',
      pages,
    );
    $('downloads').hidden = false;
    for (const page of pages) await renderPage($('results'), jobId, page);
    $('results').dataset.done = 'true';
  } catch (err) {
    showError(err.message);
    $('job-status').textContent = 'failed';
  } finally {
    $('go').disabled = !file;
  }
}

const EXT = { txt: 'txt', json: 'json', md: 'md', pdf: 'pdf', hocr: 'hocr', alto: 'alto.xml' };

async function download(format) {
  showError('');
  try {
    const res = await api(`/ocr/job/${jobId}/result?format=${format}`);
    if (!res.ok) throw await failure(res);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `${jobName}.${EXT[format]}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (err) {
    showError(err.message);
  }
}

/** The language menu: `auto` first (selected), then every language GET /languages lists. */
async function languages() {
  try {
    const res = await fetch('/languages', { credentials: 'same-origin' });
    if (!res.ok) return; // the menu keeps `auto`, which always works
    const { languages: list } = await res.json();
    const options = list
      .filter((l) => l.code !== 'auto')
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((l) => {
        const o = document.createElement('option');
        o.value = l.code;
        o.textContent = `${l.name} (${l.code})${l.available ? '' : ' - model set not downloaded'}`;
        o.disabled = !l.available;
        return o;
      });
    $('lang').append(...options);
  } catch {
    // offline or an old server: `auto` only
  }
}

function init() {
  void languages();
  $('api-key').value = apiKey.get();
  for (const ev of ['input', 'change']) $('api-key').addEventListener(ev, (e) => apiKey.set(e.target.value.trim()));
  $('file').addEventListener('change', (e) => choose(e.target.files[0]));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) choose(e.dataTransfer.files[0]);
  });
  $('submit-form').addEventListener('submit', run);
  $('downloads').addEventListener('click', (e) => {
    const format = e.target.dataset?.format;
    if (format) download(format);
  });
}

init();
