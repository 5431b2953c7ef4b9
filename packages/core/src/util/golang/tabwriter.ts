// Go's text/tabwriter (Go 1.19 through 1.24: the package is frozen), plus the RememberWidths flag of
// github.com/liggitt/tabwriter v0.0.0-20181228230101-89fcab3d43de, the fork kubectl prints with.
// The subset used here: padding with a character other than tab, left or right alignment, the
// Debug flag; no escapes, no HTML filtering, no TabIndent or DiscardEmptyColumns. Column layout
// is whatever this algorithm produces, so the algorithm is reproduced rather than approximated:
//
// - text is split into cells by '\t'; a line's last cell (the text after its last tab) is
//   never part of a column and is never padded;
// - a "column block" is a run of consecutive lines that all have a cell in that column;
//   its width is max(minwidth, widest cell + padding), measured in runes;
// - a line with a single cell ends every block (Go flushes at that point).
//
// Callers and their Go parameters: kubectl get (cli-runtime printers.GetNewTabWriter: 6, 4, 3,
// ' ', 0) and describe (0, 8, 2, ' ', 0), see views/kubectl/table.ts; docker ps (docker/cli's
// formatter: 10, 1, 3, ' ', 0); crictl ps (20, 1, 3, ' ', 0). docker/cli vendors a copy of the
// package (cli/command/formatter/tabwriter) that measures cells with go-runewidth; for the
// narrow characters docker ps prints here that is the rune count.

export interface TabWriterOptions {
  /** Minimal cell width, padding included. */
  minwidth: number;
  /** Only meaningful for tab padding; kept so the Go parameters read the same. */
  tabwidth: number;
  /** Added to the widest cell of a column. */
  padding: number;
  /** Padding character (every caller here uses a space; tab padding is not implemented). */
  padchar: string;
  /** tabwriter.AlignRight (no caller here uses it; kept for parity with Go's examples). */
  alignRight?: boolean;
  /** tabwriter.Debug: a '|' between columns. */
  debug?: boolean;
}

interface Cell {
  text: string;
  /** Width in runes (utf8.RuneCount), as Go measures it. */
  width: number;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Formats tab-separated text exactly as a Go tabwriter.Writer followed by Flush().
 *
 * `remembered` turns on the RememberWidths flag of github.com/liggitt/tabwriter, the fork
 * kubectl uses: each column is at least as wide as the widest it has been, across flushes.
 * That is what keeps `kubectl get -w` rows aligned with the table printed before them. The
 * array is the writer's memory; it is updated in place.
 */
export function tabwrite(text: string, opts: TabWriterOptions, remembered?: number[]): string {
  const out: string[] = [];
  let lines: Cell[][] = [[]];
  let cellText = '';

  const flush = (): void => {
    if (cellText.length > 0) {
      lines[lines.length - 1]!.push({ text: cellText, width: runeCount(cellText) });
      cellText = '';
    }
    format(lines, opts, out, remembered);
    lines = [[]];
  };

  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
    cellText += text.slice(start, i);
    start = i + 1;
    const line = lines[lines.length - 1]!;
    line.push({ text: cellText, width: runeCount(cellText) });
    cellText = '';
    if (ch === '\n' || ch === '\f') {
      const ncells = line.length;
      lines.push([]);
      // Go flushes on '\f' and after a one-cell line: such a line cannot affect alignment.
      if (ch === '\f' || ncells === 1) flush();
    }
  }
  cellText += text.slice(start);
  flush();
  return out.join('');
}

function format(lines: Cell[][], opts: TabWriterOptions, out: string[], remembered?: number[]): void {
  const widths: number[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      line.forEach((c, j) => {
        if (j > 0 && opts.debug) out.push('|');
        const pad = j < widths.length ? opts.padchar.repeat(Math.max(0, widths[j]! - c.width)) : '';
        // Go pads an empty cell without regard to alignment.
        if (opts.alignRight && c.text !== '') out.push(pad, c.text);
        else out.push(c.text, pad);
      });
      // The last buffered line has no newline of its own (its partial cell was already
      // added to it by flush()).
      if (i + 1 !== lines.length) out.push('\n');
    }
  };

  const formatRange = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur]!.length - 1) continue;
      // A cell exists in this column: print the lines before the block, then size the block.
      writeLines(line0, cur);
      line0 = cur;
      let width = opts.minwidth;
      for (; cur < line1; cur++) {
        const line = lines[cur]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column]!.width + opts.padding);
      }
      if (remembered) {
        if (remembered.length < column) remembered.push(...widths.slice(remembered.length));
        if (column === remembered.length) remembered.push(width);
        else if (remembered[column]! > width) width = remembered[column]!;
        else remembered[column] = width;
      }
      widths.push(width);
      formatRange(line0, cur);
      widths.pop();
      line0 = cur;
      // `cur` now indexes the line that ended the block; the loop's increment would skip
      // it, but Go's loop does the same: that line has fewer cells, so it cannot open a
      // block in this column.
    }
    writeLines(line0, line1);
  };

  formatRange(0, lines.length);
}
