// One way for every test to post a file to the API: in-process through app.inject, or over HTTP to a
// server process (a base URL string), with the same multipart body either way. It has no runtime
// import from src/ so the process-level tests (test/redis, test/deploy) can load it cheaply.
import assert from 'node:assert/strict';

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface Part {
  field: string;
  filename?: string;
  data: Buffer | string;
  contentType?: string;
}

/** A multipart/form-data body for app.inject. */
export async function multipart(parts: Part[]): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const p of parts) {
    if (typeof p.data === 'string' && p.filename === undefined) form.append(p.field, p.data);
    else
      form.append(
        p.field,
        new Blob([typeof p.data === 'string' ? p.data : new Uint8Array(p.data)], {
          type: p.contentType ?? 'application/octet-stream',
        }),
        p.filename ?? 'file',
      );
  }
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    headers: { 'content-type': req.headers.get('content-type')! },
  };
}

export interface SubmitOptions {
  /** Route and query string; '/ocr/image' unless given. */
  url?: string;
  /** The file's form field ('file' unless given; '/ocr/batch' takes 'files'). */
  field?: string;
  /** The file's name in the form ('file' unless given). */
  filename?: string;
  /** The file part's Content-Type (application/octet-stream unless given). */
  contentType?: string;
  /** Text fields sent before the file, such as callback_url. */
  fields?: Record<string, string>;
  /** Request headers beside the multipart Content-Type (API keys, X-Forwarded-For). */
  headers?: Record<string, string>;
}

/** The form parts of a submission: the caller's own parts, or the text fields then the one file. */
function parts(file: Buffer | Part[], o: SubmitOptions): Part[] {
  if (Array.isArray(file)) return file;
  const fields = Object.entries(o.fields ?? {}).map(([field, data]) => ({ field, data }));
  return [...fields, { field: o.field ?? 'file', filename: o.filename, data: file, contentType: o.contentType }];
}

/**
 * Posts a file (or a list of form parts) and returns the response as it came: through app.inject
 * when given the app, through fetch when given a server's base URL.
 */
export function submit(app: FastifyInstance, file: Buffer | Part[], o?: SubmitOptions): Promise<LightMyRequestResponse>;
export function submit(base: string, file: Buffer | Part[], o?: SubmitOptions): Promise<Response>;
export async function submit(
  target: FastifyInstance | string,
  file: Buffer | Part[],
  o: SubmitOptions = {},
): Promise<LightMyRequestResponse | Response> {
  const body = await multipart(parts(file, o));
  const url = o.url ?? '/ocr/image';
  const headers = { ...body.headers, ...o.headers };
  if (typeof target === 'string')
    return fetch(`${target}${url}`, { method: 'POST', body: new Uint8Array(body.payload), headers });
  return target.inject({ method: 'POST', url, payload: body.payload, headers });
}

/** Submits, asserts the 202 (the body is the failure message) and returns the job id (a batch's first). */
export async function submitJob(
  target: FastifyInstance | string,
  file: Buffer | Part[],
  o: SubmitOptions = {},
): Promise<string> {
  let status: number, text: string;
  if (typeof target === 'string') {
    const res = await submit(target, file, o);
    [status, text] = [res.status, await res.text()];
  } else {
    const res = await submit(target, file, o);
    [status, text] = [res.statusCode, res.body];
  }
  assert.equal(status, 202, text);
  const accepted = JSON.parse(text) as { job_id?: string; jobs?: { job_id: string }[] };
  return accepted.job_id ?? accepted.jobs![0].job_id;
}
