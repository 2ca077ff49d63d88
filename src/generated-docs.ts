// The parts of the docs written from the code's own lists rather than by hand: the engine options
// table, the settings tables and env.example. scripts/gen-docs.mjs rewrites them (`npm run
// docs:gen`); the tests fail when a file on disk differs from what the code renders.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { renderEnvExample, renderMainSettingsTable, renderSettingsTable } from './config/render.js';
import { ROOT } from './models/manifest.js';
import { renderOptionsTable } from './native/option-table.js';

export interface GeneratedPart {
  /** Relative to the repository root. */
  file: string;
  /** The part between `<!-- NAME:start -->` and `<!-- NAME:end -->`; none: the whole file. */
  marker?: string;
  render: () => string;
}

export const GENERATED: GeneratedPart[] = [
  { file: 'docs/engine.md', marker: 'options', render: renderOptionsTable },
  { file: 'docs/configuration.md', marker: 'settings', render: renderSettingsTable },
  { file: 'README.md', marker: 'main-settings', render: renderMainSettingsTable },
  { file: 'env.example', render: renderEnvExample },
];

export const REGENERATE = 'run `npm run build:ts && npm run docs:gen` to rewrite it from the code';

/** The file's text with the part replaced by a fresh render; throws when the markers are missing. */
export function regenerate(part: GeneratedPart, text: string): string {
  if (!part.marker) return part.render();
  const start = `<!-- ${part.marker}:start -->`;
  const end = `<!-- ${part.marker}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end, i);
  if (i < 0 || j < 0) throw new Error(`${part.file} has no ${start} ... ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${part.render()}\n${text.slice(j)}`;
}

/** The part as it is on disk and as the code renders it (whole files when there is no marker). */
export function compare(part: GeneratedPart): { onDisk: string; rendered: string } {
  const onDisk = readFileSync(path.join(ROOT, part.file), 'utf8');
  return { onDisk, rendered: regenerate(part, onDisk) };
}
