// Reading multipart uploads into memory (bounded by @fastify/multipart limits). Client file
// names are kept for display only, cleaned; nothing is written to disk under them.
import path from 'node:path';

import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';

import type { Config } from '../../config.js';
import { ApiError } from '../../errors.js';
import { detectType } from '../../image/detect.js';
import type { JobInput } from '../../jobs/types.js';
import { checkCallbackUrl } from '../../jobs/webhook.js';

export interface Upload {
  field: string;
  filename: string;
  data: Buffer;
  /** The request's `callback_url` form field (webhook), unchecked. */
  callbackUrl?: string;
  /** The submitting API key's digest (API keys on): the job's owner. */
  owner?: string;
}

export function cleanFilename(name: string | undefined): string {
  const base = path
    .basename((name ?? '').replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return (base || 'upload').slice(0, 255);
}

/**
 * A file part's bytes in one buffer. A PDF goes straight into shared memory: the probe thread and
 * every OCR worker then read that one copy (part.toBuffer() would make a copy to be copied again).
 */
async function readFile(part: MultipartFile, request: FastifyRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file) {
    if (part.file.truncated) throw new request.server.multipartErrors.RequestFileTooLargeError();
    chunks.push(chunk);
    size += chunk.length;
  }
  if (part.file.truncated) throw new request.server.multipartErrors.RequestFileTooLargeError();
  const first: Buffer[] = [];
  for (let n = 0, i = 0; n < 1024 && i < chunks.length; n += chunks[i++].length) first.push(chunks[i]);
  const head = Buffer.concat(first).subarray(0, 1024);
  const out = detectType(head) === 'pdf' ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafe(size);
  let at = 0;
  for (const c of chunks) at += c.copy(out, at);
  return out;
}

/** Every file part of the request, in order. Throws ApiError 400 when the request is not multipart. */
export async function readUploads(request: FastifyRequest, expectedField: string): Promise<Upload[]> {
  if (!request.isMultipart()) {
    throw new ApiError(
      'missing_file',
      `No file uploaded: send multipart/form-data with the file in field '${expectedField}'`,
    );
  }
  const uploads: Upload[] = [];
  let callbackUrl: string | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') {
        if (part.fieldname === 'callback_url' && typeof part.value === 'string' && part.value.trim())
          callbackUrl = part.value;
        continue;
      }
      uploads.push({
        field: part.fieldname,
        filename: cleanFilename(part.filename),
        data: await readFile(part, request),
        owner: request.apiKeyId,
      });
    }
  } catch (err) {
    // Limits (413) keep their status; a malformed body (busboy's errors have none) is a 400.
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500) throw err;
    throw new ApiError('bad_request', `Malformed multipart body: ${(err as Error).message}`);
  }
  if (callbackUrl !== undefined) for (const u of uploads) u.callbackUrl = callbackUrl;
  return uploads;
}

/** Checks the upload's callback_url (400 when refused) and puts it, and the owning key, on the job input. */
export async function attachCallback(input: JobInput, upload: Upload, config: Config): Promise<JobInput> {
  if (upload.owner) input.owner = upload.owner;
  if (upload.callbackUrl !== undefined)
    input.callbackUrl = await checkCallbackUrl(upload.callbackUrl, config.webhookAllowPrivate);
  return input;
}

/** The single file of /ocr/image and /ocr/pdf, with the 400s for the usual mistakes. */
export function singleUpload(uploads: Upload[], field: string): Upload {
  const matching = uploads.filter((u) => u.field === field);
  if (matching.length === 0) {
    const others = [...new Set(uploads.map((u) => u.field))];
    throw new ApiError(
      'missing_file',
      others.length
        ? `No file in field '${field}' (received field ${others.map((f) => `'${f}'`).join(', ')})`
        : `No file uploaded: send the file in multipart field '${field}'`,
    );
  }
  if (uploads.length > 1) {
    throw new ApiError(
      'too_many_files',
      `Expected one file in field '${field}' but received ${uploads.length}; use /ocr/batch for several files`,
    );
  }
  const up = matching[0];
  if (up.data.length === 0) throw new ApiError('empty_file', 'The uploaded file is empty', up.filename);
  return up;
}
