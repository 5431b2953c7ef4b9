// describe.go's PrefixWriter and tabbedString(): each describer writes its lines through one,
// two spaces of indentation per level and tab-separated cells, then the whole text goes
// through a tabwriter (minwidth 0, padding 2). The value column is therefore wherever the
// widest label of each run of lines puts it.

import { tabwrite } from '../../../util/golang/tabwriter.js';
import { DESCRIBE_TABWRITER } from '../table.js';

/** describe.go's PrefixWriter: two spaces of indentation per level. */
export class PrefixWriter {
  private readonly parts: string[] = [];

  write(level: number, text: string): void {
    this.parts.push('  '.repeat(level) + text);
  }

  /** tabbedString(): the text as the tabwriter lays it out. */
  toString(): string {
    return tabwrite(this.parts.join(''), DESCRIBE_TABWRITER);
  }
}
