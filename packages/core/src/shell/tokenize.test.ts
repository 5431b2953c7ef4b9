import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('splits words, quotes and pipelines', () => {
    expect(tokenize(`docker inspect --format '{{ .State.Pid }}' abc`).pipeline).toEqual([['docker', 'inspect', '--format', '{{ .State.Pid }}', 'abc']]);
    expect(tokenize('sudo iptables-save | grep KUBE | grep nginx').pipeline).toEqual([
      ['sudo', 'iptables-save'],
      ['grep', 'KUBE'],
      ['grep', 'nginx'],
    ]);
    expect(tokenize(`kubectl patch svc x -p '{"spec":{"a":1}}'`).pipeline[0]?.[5]).toBe('{"spec":{"a":1}}');
    expect(tokenize('echo "a \\"b\\" c"').pipeline).toEqual([['echo', 'a "b" c']]);
  });

  it('finds a heredoc marker', () => {
    expect(tokenize('kubectl apply -f - <<EOF')).toEqual({ pipeline: [['kubectl', 'apply', '-f', '-']], heredoc: 'EOF' });
    expect(tokenize("cat <<'END'").heredoc).toBe('END');
  });

  it('drops comments and rejects dangling pipes', () => {
    expect(tokenize('ls # comment').pipeline).toEqual([['ls']]);
    expect(() => tokenize('ls |')).toThrow(/syntax error/);
  });

  it('round-trips any words that are single-quoted', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1 }).filter((s) => !s.includes("'")),
          { minLength: 1, maxLength: 6 },
        ),
        (words) => {
          const line = words.map((w) => `'${w}'`).join(' ');
          expect(tokenize(line).pipeline).toEqual([words]);
        },
      ),
    );
  });
});
