// Installs the files of a set that setup provides (source.dir: models/<dir>/, git-ignored) and checks
// each against the manifest's accepted variants. Where a file comes from, in order: already there
// and accepted; the development/CI copy in ../shared/models (OCR_SHARED_MODELS); the official
// download (PaddlePaddle's Hugging Face repositories, RapidOCR's published exports), optionally
// through a mirror that keeps the official host and path under it (OCR_MODELS_BASE_URL). Files of
// npm packages are only checked where they are in node_modules, never copied.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

import { ModelDownloadError, ROLES, fetchFile, sha256File } from './download.js';
import { ROOT, accepted, loadManifest, modelFilePath } from './manifest.js';

export const DEFAULT_SHARED_DIR = path.resolve(ROOT, '..', 'shared', 'models');

export interface InstallOptions {
  /**
   * The development copy of the model files; absent or missing folder: download. Default env OCR_SHARED_MODELS, else
   * ../shared/models.
   */
  sharedDir?: string;
  /** Mirror: a file's official URL https://host/path is fetched from <baseUrl>/host/path. */
  baseUrl?: string;
  timeoutMs?: number;
  /** Parent of the set folders. Default the repository's models/ (tests install elsewhere). */
  modelsRoot?: string;
  onEvent?: (ev: { set: string; name: string; how: 'present' | 'shared' | 'downloaded' | 'npm'; from: string }) => void;
}

/** The sets setup installs: every set whose files live in a models/ folder of their own. */
export function installedSets(): string[] {
  const sets = loadManifest().sets;
  return Object.keys(sets).filter((n) => 'dir' in sets[n].source && !('npm' in sets[n].source));
}

function mirrorUrl(url: string, baseUrl?: string): string {
  if (!baseUrl) return url;
  const u = new URL(url);
  return `${baseUrl.replace(/\/+$/, '')}/${u.host}${u.pathname}`;
}

export async function installModelSet(name: string, opts: InstallOptions = {}): Promise<void> {
  const entry = loadManifest().sets[name];
  if (!entry || !('dir' in entry.source) || 'npm' in entry.source) {
    throw new ModelDownloadError(
      'BAD_SET',
      `Model set "${name}" is not one setup installs; known: ${installedSets().join(', ')}`,
    );
  }
  const modelsRoot = opts.modelsRoot ?? path.join(ROOT, 'models');
  const dir = path.join(modelsRoot, entry.source.dir);
  const sharedDir = opts.sharedDir ?? (process.env.OCR_SHARED_MODELS || DEFAULT_SHARED_DIR);
  const baseUrl = opts.baseUrl ?? (process.env.OCR_MODELS_BASE_URL || undefined);
  await mkdir(dir, { recursive: true });
  for (const role of ROLES) {
    const f = entry.files[role];
    if (!f) continue;
    const dest = modelFilePath(dir, f, modelsRoot);
    const ok = accepted(f);
    const good = async (p: string) => existsSync(p) && ok.map((v) => v.sha256).includes(await sha256File(p));
    if (f.npm) {
      if (!(await good(dest)))
        throw new ModelDownloadError(
          'HASH_MISMATCH',
          `${dest} (npm ${f.npm}) is missing or not the expected file; run npm ci`,
        );
      opts.onEvent?.({ set: name, name: f.name, how: 'npm', from: dest });
      continue;
    }
    if (f.bundled) {
      // Another set's file (the shared detector): that set installs it; only check it is there.
      if (!(await good(dest)))
        throw new ModelDownloadError(
          'BAD_SET',
          `${path.relative(ROOT, dest)} is missing; install set ${f.bundled.split('/')[0]} first`,
        );
      continue;
    }
    if (await good(dest)) {
      opts.onEvent?.({ set: name, name: f.name, how: 'present', from: dest });
      continue;
    }
    const shared = f.shared ? path.join(sharedDir, f.shared) : undefined;
    if (shared && existsSync(shared)) {
      const tmp = path.join(dir, `.${f.name}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
      try {
        await copyFile(shared, tmp);
        const sha = await sha256File(tmp);
        if (!ok.some((v) => v.sha256 === sha)) {
          throw new ModelDownloadError(
            'HASH_MISMATCH',
            `${shared} has sha256 ${sha}, which the manifest does not accept for ${f.name}`,
          );
        }
        await rename(tmp, dest);
      } finally {
        await rm(tmp, { force: true });
      }
      opts.onEvent?.({ set: name, name: f.name, how: 'shared', from: shared });
      continue;
    }
    if (!f.url) throw new ModelDownloadError('BAD_SET', `No source for ${f.name} of set "${name}"`);
    const url = mirrorUrl(f.url, baseUrl);
    await fetchFile(url, dest, f, opts.timeoutMs ?? 60_000);
    opts.onEvent?.({ set: name, name: f.name, how: 'downloaded', from: url });
  }
}
