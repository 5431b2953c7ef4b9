// The `kubectl get` table layer (cli-runtime printers.printTable + GetNewTabWriter).

import { tabwrite, type TabWriterOptions } from '../../util/golang/tabwriter.js';

/** cli-runtime printers.GetNewTabWriter: what `kubectl get` tables go through. */
export const GET_TABWRITER: TabWriterOptions = { minwidth: 6, tabwidth: 4, padding: 3, padchar: ' ' };

/** kubectl describe's tabbedString(): tabwriter.Init(buf, 0, 8, 2, ' ', 0). */
export const DESCRIBE_TABWRITER: TabWriterOptions = { minwidth: 0, tabwidth: 8, padding: 2, padchar: ' ' };

/**
 * printTable's appendCellValue: a cell is cut at the first newline, carriage return or
 * form feed (tabwriter would treat them as line ends) and "..." is appended.
 */
export function sanitizeCell(value: string): string {
  const cut = value.search(/[\f\n\r]/);
  return cut < 0 ? value : `${value.slice(0, cut)}...`;
}

export interface TableOptions {
  noHeaders?: boolean;
  /**
   * The tabwriter's remembered column widths (kubectl's RememberWidths): columns are at least
   * this wide, and the array is updated with the widths used. For `kubectl get -w`.
   */
  columnWidths?: number[];
}

/**
 * Lays out a table as `kubectl get` prints it. Header names are given as kubectl shows
 * them (already upper-case). Returns "" when there are no rows: kubectl prints no header
 * for an empty result (the caller prints "No resources found ..." to stderr instead).
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], opts: TableOptions = {}): string {
  if (rows.length === 0) return '';
  const lines: string[] = [];
  if (!opts.noHeaders) lines.push(header.join('\t'));
  for (const row of rows) lines.push(row.map(sanitizeCell).join('\t'));
  return tabwrite(lines.map((l) => `${l}\n`).join(''), GET_TABWRITER, opts.columnWidths);
}

/**
 * What kubectl get writes to stderr when nothing matched: namespaced kinds without -A name
 * the namespace, everything else (cluster-scoped kinds, -A) does not.
 */
export function noResourcesFound(namespace: string | undefined): string {
  return namespace === undefined ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`;
}
