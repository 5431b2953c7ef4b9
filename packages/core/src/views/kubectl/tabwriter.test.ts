import { describe, expect, it } from 'vitest';
import { formatTable, noResourcesFound, sanitizeCell } from './table.js';
import { DESCRIBE_TABWRITER, GET_TABWRITER, tabwrite } from './tabwriter.js';

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

  it('applies kubectl get settings: width = max(6, widest + 3), last column unpadded', () => {
    const out = tabwrite('A\tBB\tLAST\nxxxxxxxx\ty\tz\n', GET_TABWRITER);
    expect(out).toBe('A          BB    LAST\nxxxxxxxx   y     z\n');
  });

  it('a one-cell line splits the blocks around it (describe layout)', () => {
    const out = tabwrite('Name:\tx\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tRS/y\n', DESCRIBE_TABWRITER);
    expect(out).toBe('Name:  x\nIPs:\n  IP:           10.0.0.1\nControlled By:  RS/y\n');
  });

  it('measures width in runes, not bytes or UTF-16 units', () => {
    const out = tabwrite('héllo\tx\nab\ty\n', GET_TABWRITER);
    expect(out).toBe('héllo   x\nab      y\n');
  });

  it('keeps text without a final newline', () => {
    expect(tabwrite('a\tb', GET_TABWRITER)).toBe('a     b');
  });
});

describe('formatTable (kubectl get table printer)', () => {
  it('matches the nginx Deployment pods example from the Kubernetes docs', () => {
    const out = formatTable(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], [['nginx-deployment-66b6c48dd5-4jw2p', '1/1', 'Running', '0', '86s']]);
    expect(out).toBe('NAME                                READY   STATUS    RESTARTS   AGE\n' + 'nginx-deployment-66b6c48dd5-4jw2p   1/1     Running   0          86s\n');
  });

  it('prints nothing at all for zero rows', () => {
    expect(formatTable(['NAME'], [])).toBe('');
  });

  it('honours --no-headers', () => {
    expect(formatTable(['NAME', 'AGE'], [['a', '1s']], { noHeaders: true })).toBe('a     1s\n');
  });

  it('cuts a cell at its first line break', () => {
    expect(sanitizeCell('first\nsecond')).toBe('first...');
    expect(sanitizeCell('plain')).toBe('plain');
  });

  it('words the empty-result message like kubectl', () => {
    expect(noResourcesFound('default')).toBe('No resources found in default namespace.\n');
    expect(noResourcesFound(undefined)).toBe('No resources found\n');
  });
});
