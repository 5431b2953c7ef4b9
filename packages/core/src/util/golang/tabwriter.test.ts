import { describe, expect, it } from 'vitest';
import { tabwrite, type TabWriterOptions } from './tabwriter.js';

/** kubectl get's parameters (cli-runtime printers.GetNewTabWriter: 6, 4, 3, ' ', 0). */
const GET: TabWriterOptions = { minwidth: 6, tabwidth: 4, padding: 3, padchar: ' ' };

describe('tabwrite (Go text/tabwriter)', () => {
  it("reproduces Go's ExampleWriter_Init (right-aligned, minwidth 5, padding 1)", () => {
    const out = tabwrite('a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n', {
      minwidth: 5,
      tabwidth: 0,
      padding: 1,
      padchar: ' ',
      alignRight: true,
    });
    expect(out).toBe('    a     b       c         d.\n  123 12345 1234567 123456789.\n\n');
  });

  it("reproduces Go's Example_trailingTab: a line's last cell is not aligned", () => {
    const text = 'a\tb\taligned\t\naa\tbb\taligned\t\naaa\tbbb\tunaligned\naaaa\tbbbb\taligned\t\n';
    const out = tabwrite(text, { minwidth: 0, tabwidth: 0, padding: 3, padchar: '-', alignRight: true, debug: true });
    expect(out).toBe(['------a|------b|---aligned|', '-----aa|-----bb|---aligned|', '----aaa|----bbb|unaligned', '---aaaa|---bbbb|---aligned|', ''].join('\n'));
  });

  it("reproduces Go's Example_elastic: column blocks end where a line has fewer cells", () => {
    const text = 'a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n';
    const out = tabwrite(text, { minwidth: 0, tabwidth: 0, padding: 1, padchar: '.', alignRight: true, debug: true });
    expect(out).toBe(['....a|..b|c', '...aa|.bb|cc', '..aaa|', '.aaaa|.dddd|eeee', ''].join('\n'));
  });

  it('measures width in runes, not bytes or UTF-16 units', () => {
    const out = tabwrite('héllo\tx\nab\ty\n', GET);
    expect(out).toBe('héllo   x\nab      y\n');
  });

  it('keeps text without a final newline', () => {
    expect(tabwrite('a\tb', GET)).toBe('a     b');
  });

  it("pads like Go tabwriter with docker/cli's parameters (minwidth applies to short columns, last cell unpadded)", () => {
    // docker's formatter: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0).
    expect(tabwrite('CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n', { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ' })).toBe(
      'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n',
    );
  });
});
