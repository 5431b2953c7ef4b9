import { describe, expect, it } from 'vitest';
import { tabwrite } from '../../util/golang/tabwriter.js';
import { DESCRIBE_TABWRITER, formatTable, GET_TABWRITER, noResourcesFound, sanitizeCell } from './table.js';

describe('tabwrite with kubectl settings', () => {
  it('applies kubectl get settings: width = max(6, widest + 3), last column unpadded', () => {
    const out = tabwrite('A\tBB\tLAST\nxxxxxxxx\ty\tz\n', GET_TABWRITER);
    expect(out).toBe('A          BB    LAST\nxxxxxxxx   y     z\n');
  });

  it('a one-cell line splits the blocks around it (describe layout)', () => {
    const out = tabwrite('Name:\tx\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tRS/y\n', DESCRIBE_TABWRITER);
    expect(out).toBe('Name:  x\nIPs:\n  IP:           10.0.0.1\nControlled By:  RS/y\n');
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
