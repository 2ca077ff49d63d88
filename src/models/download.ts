// Downloads a model set's files into modelsDir/<set>/ and verifies each against its sha256.
// A file lands under its final name only after its hash matched: it is streamed to a temporary
// file in the same folder and renamed, so a reader never sees half a model.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

import { DEFAULT_MODELS_DIR, type ModelRole, accepted, loadManifest, modelFilePath, modelSetDir } from './manifest.js';

export const ROLES: readonly ModelRole[] = ['det', 'rec', 'cls', 'dict'];

/** A file of a downloadable set. sha256 null means no published hash is known. */
export interface DownloadFileSpec {
  name: string;
  sha256: string | null;
  /** Full URL; without one the file is fetched from <base>/<name>. */
  url?: string;
  size?: number;
  /** A file of another installed set (path under models/): never downloaded here. */
  bundled?: string;
  /** Read from an npm package in node_modules: never downloaded. */
  npm?: string;
  /** Other accepted (sha256, size) pairs besides the official one. */
  variants?: { sha256: string; size: number }[];
  /** The url is an inference.yml (this sha256/size when known) whose character_dict list is the file. */
  extract?: { sha256?: string; size?: number };
}

/** The parts of a manifest set the downloader reads. */
export interface DownloadSetSpec {
  source: { url: string } | { npm: string; dir: string } | { dir: string };
  files: Partial<Record<ModelRole, DownloadFileSpec>>;
}

export interface DownloadOptions {
  /** Parent folder of the set folders. Default models/cache. */
  modelsDir?: string;
  /** Mirror to fetch from instead of the set's source.url. Default: env OCR_MODELS_BASE_URL. */
  baseUrl?: string;
  /** The set's definition, used instead of looking the name up in a manifest. */
  set?: DownloadSetSpec;
  /** Manifest file to look the set up in. Default models/manifest.json. */
  manifestPath?: string;
  /** Install files that have no recorded sha256 (their hash is then only reported). */
  allowUnverified?: boolean;
  /** Abort a request that sends nothing for this long. Default 60 000 ms. */
  timeoutMs?: number;
  onEvent?: (event: DownloadEvent) => void;
}

export type DownloadEvent =
  | { type: 'present'; role: ModelRole; name: string; path: string }
  | { type: 'start'; role: ModelRole; name: string; url: string }
  | { type: 'done'; role: ModelRole; name: string; path: string; bytes: number; sha256: string; verified: boolean };

export interface DownloadedFile {
  role: ModelRole;
  name: string;
  path: string;
  /** 'present' when the file was already there with the right hash. */
  status: 'downloaded' | 'present';
  sha256: string;
  verified: boolean;
}

export type DownloadErrorCode =
  'HTTP' | 'NETWORK' | 'TIMEOUT' | 'HASH_MISMATCH' | 'SIZE_MISMATCH' | 'UNVERIFIED' | 'BAD_SET';

export class ModelDownloadError extends Error {
  readonly code: DownloadErrorCode;
  constructor(code: DownloadErrorCode, message: string) {
    super(message);
    this.name = 'ModelDownloadError';
    this.code = code;
  }
}

const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 60_000;

/** The set's definition: the option if given, else the manifest's entry. */
export function findSetSpec(name: string, opts: Pick<DownloadOptions, 'set' | 'manifestPath'> = {}): DownloadSetSpec {
  if (opts.set) return opts.set;
  const sets = opts.manifestPath
    ? (JSON.parse(readFileSync(opts.manifestPath, 'utf8')) as { sets: Record<string, DownloadSetSpec> }).sets
    : (loadManifest().sets as Record<string, DownloadSetSpec>);
  const entry = sets[name];
  if (!entry) {
    throw new ModelDownloadError('BAD_SET', `Unknown model set "${name}"; known: ${Object.keys(sets).join(', ')}`);
  }
  return entry;
}

/** Where each file is fetched from, with a mirror (baseUrl) keeping the path under source.url. */
export function fileUrl(spec: DownloadSetSpec, file: DownloadFileSpec, baseUrl?: string): string {
  const source = 'url' in spec.source ? spec.source.url.replace(/\/+$/, '') : undefined;
  const base = baseUrl?.replace(/\/+$/, '');
  let rel = file.name;
  if (file.url && source && file.url.startsWith(source + '/')) rel = file.url.slice(source.length + 1);
  if (base) return `${base}/${rel}`;
  if (file.url) return file.url;
  if (!source)
    throw new ModelDownloadError('BAD_SET', `No URL for ${file.name}: the set has no source.url and the file no url`);
  return `${source}/${rel}`;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function setDir(name: string, spec: DownloadSetSpec, opts: DownloadOptions): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new ModelDownloadError('BAD_SET', `Invalid model set name ${JSON.stringify(name)}`);
  }
  if (!('url' in spec.source) && !opts.set) return modelSetDir(name);
  return path.join(opts.modelsDir ?? DEFAULT_MODELS_DIR, name);
}

/**
 * Downloads every file of a set that is missing or has the wrong hash, verifying each.
 * Throws ModelDownloadError (code HTTP, NETWORK, TIMEOUT, HASH_MISMATCH, SIZE_MISMATCH, UNVERIFIED,
 * BAD_SET); a failed file leaves nothing behind, files already installed stay.
 */
export async function downloadModelSet(name: string, opts: DownloadOptions = {}): Promise<DownloadedFile[]> {
  const spec = findSetSpec(name, opts);
  if (!('url' in spec.source)) {
    const where = 'npm' in spec.source ? `npm package ${spec.source.npm}` : `models/${spec.source.dir}`;
    throw new ModelDownloadError('BAD_SET', `Model set "${name}" is bundled (${where}); nothing to download`);
  }
  const dir = setDir(name, spec, opts);
  const baseUrl = opts.baseUrl ?? (process.env.OCR_MODELS_BASE_URL || undefined);
  // Files shipped in the repository (a downloaded set's dictionary) are not fetched.
  const files = ROLES.filter((r) => spec.files[r] && !spec.files[r]!.bundled && !spec.files[r]!.npm).map((role) => ({
    role,
    file: spec.files[role]!,
  }));
  for (const { file } of files) {
    if (path.basename(file.name) !== file.name || file.name.startsWith('.')) {
      throw new ModelDownloadError('BAD_SET', `Invalid file name ${JSON.stringify(file.name)} in set "${name}"`);
    }
    if (file.sha256 === null || file.sha256 === undefined) {
      if (!opts.allowUnverified) {
        throw new ModelDownloadError(
          'UNVERIFIED',
          `No sha256 is recorded for ${file.name} of model set "${name}"; refusing to install an unverified file ` +
            '(pass --allow-unverified to accept it)',
        );
      }
    } else if (!/^[0-9a-f]{64}$/.test(file.sha256)) {
      throw new ModelDownloadError('BAD_SET', `Invalid sha256 for ${file.name} of model set "${name}": ${file.sha256}`);
    }
  }
  await mkdir(dir, { recursive: true });
  const out: DownloadedFile[] = [];
  for (const { role, file } of files) {
    const dest = path.join(dir, file.name);
    if (existsSync(dest)) {
      const have = await sha256File(dest);
      if (file.sha256 ? accepted(file).some((v) => v.sha256 === have) : true) {
        opts.onEvent?.({ type: 'present', role, name: file.name, path: dest });
        out.push({ role, name: file.name, path: dest, status: 'present', sha256: have, verified: !!file.sha256 });
        continue;
      }
    }
    const url = fileUrl(spec, file, baseUrl);
    opts.onEvent?.({ type: 'start', role, name: file.name, url });
    const got = await fetchFile(url, dest, file, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    opts.onEvent?.({
      type: 'done',
      role,
      name: file.name,
      path: dest,
      bytes: got.bytes,
      sha256: got.sha256,
      verified: !!file.sha256,
    });
    out.push({ role, name: file.name, path: dest, status: 'downloaded', sha256: got.sha256, verified: !!file.sha256 });
  }
  return out;
}

/** Which files of a set are on disk (by name and, when known, size; hashes are not read). */
export function modelSetStatus(
  name: string,
  opts: Pick<DownloadOptions, 'modelsDir' | 'set' | 'manifestPath'> = {},
): { bundled: boolean; dir: string; present: boolean; missing: string[] } {
  const spec = findSetSpec(name, opts);
  const bundled = !('url' in spec.source);
  let dir: string;
  try {
    dir = setDir(name, spec, opts);
  } catch (err) {
    return { bundled, dir: '', present: false, missing: [(err as Error).message] };
  }
  const missing = ROLES.flatMap((r) => {
    const f = spec.files[r];
    if (!f || f.npm) return [];
    const p = modelFilePath(dir, f);
    if (!existsSync(p)) return [f.name];
    const size = statSync(p).size;
    return f.size !== undefined && !accepted(f).some((v) => v.size === size) ? [f.name] : [];
  });
  return { bundled, dir, present: missing.length === 0, missing };
}

/**
 * Fetches a file into dest, verified: directly, or (extract) through the inference.yml whose
 * character_dict list is the dictionary, the yml verified first and the dictionary after.
 */
export async function fetchFile(
  url: string,
  dest: string,
  file: DownloadFileSpec,
  timeoutMs: number,
): Promise<{ bytes: number; sha256: string }> {
  if (!file.extract) return fetchVerified(url, dest, file, timeoutMs);
  const yml = path.join(path.dirname(dest), `.${file.name}.${process.pid}.${randomBytes(4).toString('hex')}.yml`);
  try {
    await fetchVerified(
      url,
      yml,
      { name: path.basename(yml), sha256: file.extract.sha256 ?? null, size: file.extract.size },
      timeoutMs,
    );
    const text = extractCharacterDict(readFileSync(yml, 'utf8'));
    const bytes = Buffer.from(text, 'utf8');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (file.sha256 && !accepted(file).some((v) => v.sha256 === sha256)) {
      throw new ModelDownloadError(
        'HASH_MISMATCH',
        `sha256 mismatch for ${file.name} taken from ${url}: expected ${file.sha256}, got ${sha256}`,
      );
    }
    const tmp = `${yml}.txt`;
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, dest);
    return { bytes: bytes.length, sha256 };
  } finally {
    await rm(yml, { force: true });
    await rm(`${yml}.txt`, { force: true });
  }
}

/**
 * The character_dict list of a PaddleX inference.yml as a dictionary file (one entry a line). Its
 * entries are plain or single-quoted YAML scalars ('' is a quote); anything else is refused.
 */
export function extractCharacterDict(yml: string): string {
  const lines = yml.split('\n');
  const start = lines.findIndex((l) => /^\s*character_dict:\s*$/.test(l));
  if (start < 0) throw new ModelDownloadError('BAD_SET', 'No character_dict in the inference.yml');
  const indent = lines[start].match(/^\s*/)![0];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(`${indent}- `)) break;
    const raw = line.slice(indent.length + 2);
    if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) out.push(raw.slice(1, -1).replaceAll("''", "'"));
    else if (raw.startsWith('"'))
      throw new ModelDownloadError('BAD_SET', `Unsupported double-quoted entry ${raw} in character_dict`);
    else out.push(raw);
  }
  if (!out.length) throw new ModelDownloadError('BAD_SET', 'Empty character_dict in the inference.yml');
  return out.join('\n') + '\n';
}

async function fetchVerified(
  url: string,
  dest: string,
  file: DownloadFileSpec,
  timeoutMs: number,
): Promise<{ bytes: number; sha256: string }> {
  const ok = accepted(file);
  const maxSize = ok.every((v) => v.size !== undefined) ? Math.max(...ok.map((v) => v.size!)) : undefined;
  const tmp = path.join(path.dirname(dest), `.${file.name}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    const res = await request(url, timeoutMs, MAX_REDIRECTS);
    const hash = createHash('sha256');
    let bytes = 0;
    // A body that stops arriving is cut after timeoutMs without data, however long the file.
    let stall: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(stall);
      stall = setTimeout(
        () => res.destroy(new ModelDownloadError('TIMEOUT', `Download of ${url} stalled: no data for ${timeoutMs} ms`)),
        timeoutMs,
      );
    };
    arm();
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        arm();
        bytes += chunk.length;
        if (maxSize !== undefined && bytes > maxSize) {
          cb(
            new ModelDownloadError(
              'SIZE_MISMATCH',
              `${file.name} from ${url} is larger than the expected ${maxSize} bytes`,
            ),
          );
          return;
        }
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(res, meter, createWriteStream(tmp, { flags: 'wx' }));
    } catch (err) {
      if (err instanceof ModelDownloadError) throw err;
      throw new ModelDownloadError('NETWORK', `Download of ${url} failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(stall);
    }
    const sha256 = hash.digest('hex');
    if (maxSize !== undefined && !ok.some((v) => v.size === bytes)) {
      throw new ModelDownloadError(
        'SIZE_MISMATCH',
        `${file.name} from ${url} has ${bytes} bytes, expected ${ok.map((v) => v.size).join(' or ')}`,
      );
    }
    if (file.sha256 && !ok.some((v) => v.sha256 === sha256)) {
      throw new ModelDownloadError(
        'HASH_MISMATCH',
        `sha256 mismatch for ${file.name} from ${url}: expected ${file.sha256}, got ${sha256}; the file was discarded`,
      );
    }
    await rename(tmp, dest);
    return { bytes, sha256 };
  } finally {
    await rm(tmp, { force: true });
  }
}

/** GET with redirects followed; resolves on a 2xx response, rejects with a clear error otherwise. */
function request(url: string, timeoutMs: number, redirectsLeft: number): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new ModelDownloadError('BAD_SET', `Invalid download URL ${JSON.stringify(url)}`));
      return;
    }
    const lib = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!lib) {
      reject(new ModelDownloadError('BAD_SET', `Unsupported protocol in download URL ${url}`));
      return;
    }
    const req = lib.get(parsed, { headers: { 'user-agent': 'ocr-service-model-download' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirectsLeft <= 0) {
          reject(new ModelDownloadError('HTTP', `Download of ${url} failed: too many redirects`));
          return;
        }
        const next = new URL(res.headers.location, parsed).toString();
        request(next, timeoutMs, redirectsLeft - 1).then(resolve, reject);
        return;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        reject(
          new ModelDownloadError('HTTP', `Download of ${url} failed: HTTP ${status} ${res.statusMessage ?? ''}`.trim()),
        );
        return;
      }
      // From here the body's own stall timer (fetchVerified) takes over.
      req.setTimeout(0);
      resolve(res);
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new ModelDownloadError('TIMEOUT', `Download of ${url} timed out: no response for ${timeoutMs} ms`)),
    );
    req.on('error', (err) => {
      reject(
        err instanceof ModelDownloadError
          ? err
          : new ModelDownloadError('NETWORK', `Download of ${url} failed: ${err.message}`),
      );
    });
  });
}
