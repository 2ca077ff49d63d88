// `?format=csv&table=N` / `--format csv`: one table of the result as CSV. N is the table's index on
// its page ("2" on a single-page result), or "page:index" (1-based page, 0-based index: "3:0").
import type { JobOutput } from '../jobs/types.js';
import type { Table } from '../tables/index.js';
import { layoutOf } from './layout.js';
import { csvTable } from './tables.js';

export interface TableRef {
  page: number;
  index: number;
}

/** Parses `N` or `PAGE:N`; undefined when it is neither. */
export function parseTableRef(s: string | undefined): TableRef | undefined {
  const m = /^(?:(\d{1,6}):)?(\d{1,4})$/.exec(s ?? '0');
  return m ? { page: m[1] === undefined ? 1 : Number(m[1]), index: Number(m[2]) } : undefined;
}

/** Every table of the result with its page number. */
export function tablesOf(output: JobOutput): { page: number; index: number; table: Table }[] {
  return layoutOf(output).flatMap((p) => p.tables.map((table, index) => ({ page: p.page, index, table })));
}

/** The CSV of the referenced table, or undefined when the result has no such table. */
export function csv(output: JobOutput, ref: TableRef): string | undefined {
  const t = tablesOf(output).find((x) => x.page === ref.page && x.index === ref.index);
  return t && csvTable(t.table);
}
