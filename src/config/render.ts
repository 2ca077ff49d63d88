// The settings as the reader sees them: env.example, the table of docs/configuration.md and
// README.md's main-settings table, all rendered from the schema (settings.ts) by
// scripts/gen-docs.mjs and checked against the files by test/config-docs.test.ts.
import type { TSchema } from '@sinclair/typebox';

import type { SettingMeta } from './define.js';
import { SECTIONS } from './settings.js';

type Entry = TSchema & SettingMeta<string> & { default: unknown };

const entries = (settings: object) => Object.entries(settings) as [string, Entry][];
const all = () => SECTIONS.flatMap((s) => entries(s.settings));

const mdDefault = (v: unknown) => (v === '' ? '(empty)' : `\`${String(v)}\``);
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (rows: string[][]) =>
  [row(['Variable', 'Default', 'Meaning']), row(['---', '---', '---']), ...rows.map(row)].join('\n');

/** Every setting: the table of docs/configuration.md. */
export function renderSettingsTable(): string {
  return table(all().map(([name, s]) => [`\`${name}\``, mdDefault(s.default), s.description]));
}

/** The settings that carry a summary: README.md's short table. */
export function renderMainSettingsTable(): string {
  return table(
    all()
      .filter(([, s]) => s.summary)
      .map(([name, s]) => [`\`${name}\``, mdDefault(s.default), s.summary as string]),
  );
}

/** Markdown as plain text: a link (relative to docs/) names its page, code loses its backticks. */
const plain = (text: string) => text.replace(/\[([^\]]+)\]\(([^)#]+)[^)]*\)/g, '$1 in docs/$2').replace(/`/g, '');

/** `# ` comment lines of at most `width` columns. */
function comment(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length > 1 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

const HEADER = [
  '# Generated from src/config/settings.ts by `npm run docs:gen`: edit the descriptions there.',
  '# Copy to .env (or set in the container) to change a default. Every variable is optional; an empty',
  '# value is the same as none. Invalid values stop the start-up with a message naming the variable.',
];

/** env.example: every setting with its description and its default, by section. */
export function renderEnvExample(): string {
  const out = [...HEADER];
  for (const section of SECTIONS) {
    out.push('', `# --- ${section.title}`);
    for (const [name, s] of entries(section.settings)) {
      out.push(...comment(plain(s.description)), `${name}=${String(s.default)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
