// helm test: OCRs test-page.png through the API Service and checks the text.
// Env: OCR_URL (http://<service>:<port>), EXPECT_TEXT, TIMEOUT_S. Exit 0 on success.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const base = process.env.OCR_URL;
const expect = process.env.EXPECT_TEXT;
const deadline = Date.now() + Number(process.env.TIMEOUT_S || 120) * 1000;
const png = readFileSync(path.join(import.meta.dirname, 'test-page.png'));

function fail(msg) {
  console.error(`helm test failed: ${msg}`);
  process.exit(1);
}

const form = new FormData();
form.append('file', new Blob([png], { type: 'image/png' }), 'test-page.png');
const res = await fetch(`${base}/ocr/image`, { method: 'POST', body: form });
if (res.status !== 202) fail(`POST /ocr/image answered ${res.status}: ${await res.text()}`);
const { job_id: id } = await res.json();
for (;;) {
  const s = await fetch(`${base}/ocr/job/${id}`);
  if (s.status === 200) break;
  if (s.status !== 202) fail(`GET /ocr/job/${id} answered ${s.status}: ${await s.text()}`);
  if (Date.now() > deadline) fail(`job ${id} not finished in time`);
  await new Promise((r) => setTimeout(r, 500));
}
const result = await (await fetch(`${base}/ocr/job/${id}/result`)).json();
if (result.text?.trim() !== expect) fail(`expected ${JSON.stringify(expect)}, got ${JSON.stringify(result.text)}`);
console.log(`helm test passed: job ${id} read ${JSON.stringify(result.text)}`);
