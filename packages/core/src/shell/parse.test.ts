// shell/parse.ts: bash's grammar — words and quotes, lists, pipelines, substitutions parsed with
// their command, redirections, here-documents, and bash's syntax errors (incomplete input apart).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseLine, plainWord, ShellSyntaxError, type Command, type ParsedLine } from './parse.js';

/** Each pipeline of each list item as argv (plain words only). */
function argv(p: ParsedLine): string[][][] {
  return p.list.items.map((item) =>
    [item.andOr.first, ...item.andOr.rest.map((r) => r.pipeline)].flatMap((pl) => [
      pl.commands.map((c: Command) => (c.kind === 'simple' ? c.words.map((w) => plainWord(w) ?? '<sub>') : [`<${c.kind}>`])),
    ]),
  ) as unknown as string[][][];
}

const words = (line: string) => argv(parseLine(line))[0]![0]!;

function syntaxError(line: string, final = true): ShellSyntaxError {
  try {
    parseLine(line, { final });
  } catch (e) {
    if (e instanceof ShellSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${line}`);
}

describe('words', () => {
  it('splits words, quotes and pipelines', () => {
    expect(words(`docker inspect --format '{{ .State.Pid }}' abc`)).toEqual([['docker', 'inspect', '--format', '{{ .State.Pid }}', 'abc']]);
    expect(words('sudo iptables-save | grep KUBE | grep nginx')).toEqual([
      ['sudo', 'iptables-save'],
      ['grep', 'KUBE'],
      ['grep', 'nginx'],
    ]);
    expect(words(`kubectl patch svc x -p '{"spec":{"a":1}}'`)[0]?.[5]).toBe('{"spec":{"a":1}}');
    expect(words('echo "a \\"b\\" c"')).toEqual([['echo', 'a "b" c']]);
    expect(words(`echo "it's" 'say "hi"' a\\ b "" ''`)).toEqual([['echo', "it's", 'say "hi"', 'a b', '', '']]);
  });

  it('drops comments (only at the start of a word)', () => {
    expect(words('ls # comment')).toEqual([['ls']]);
    expect(words('echo a#b')).toEqual([['echo', 'a#b']]);
  });

  it('round-trips any words that are single-quoted', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1 }).filter((s) => !s.includes("'")),
          { minLength: 1, maxLength: 6 },
        ),
        (ws) => {
          expect(words(ws.map((w) => `'${w}'`).join(' '))).toEqual([ws]);
        },
      ),
    );
  });
});

describe('lists and pipelines', () => {
  it('separates list items by ; & and newlines, and-or lists by && and ||', () => {
    const p = parseLine('a; b & c\nd && e || f');
    expect(p.list.items.map((i) => i.background)).toEqual([false, true, false, false]);
    expect(p.list.items[3]!.andOr.rest.map((r) => r.op)).toEqual(['&&', '||']);
    expect(parseLine('a;').list.items).toHaveLength(1);
  });

  it('takes `!`, `|&`, subshells and groups', () => {
    const p = parseLine('! a |& b; (c; d) > /dev/null; { e; }');
    expect(p.list.items[0]!.andOr.first).toMatchObject({ negate: true, stderrPiped: [true] });
    expect(p.list.items[1]!.andOr.first.commands[0]).toMatchObject({ kind: 'subshell', redirects: [{ op: '>' }] });
    expect(p.list.items[2]!.andOr.first.commands[0]).toMatchObject({ kind: 'group' });
  });
});

describe('substitutions', () => {
  it('parses $(…) and `…` with their command, in and out of double quotes', () => {
    const w = parseLine(`echo "it's $(hostname)" x$(a | b)y \`c\``).list.items[0]!.andOr.first.commands[0]!;
    expect(w.kind === 'simple' && w.words.map((x) => x.parts.map((p) => `${p.kind}${p.quoted ? 'Q' : ''}`))).toEqual([['lit'], ['litQ', 'subQ'], ['lit', 'sub', 'lit'], ['sub']]);
  });

  it('finds the closing ) as bash does: quotes, nesting and comments', () => {
    expect(() => parseLine('echo $(echo ")") $(echo $(echo a))')).not.toThrow();
    expect(syntaxError('echo $(echo a # b)').message).toBe("unexpected EOF while looking for matching `)'");
  });
});

describe('here-documents', () => {
  it('reads bodies from the lines after the command, delimiter quoted or not', () => {
    const p = parseLine("cat <<EOF; cat <<'END'\na $(x)\nEOF\nb $(y)\nEND\necho after");
    expect(p.heredocs.map((h) => [h.delim, h.expand, h.lines, h.body.map((b) => b.kind)])).toEqual([
      ['EOF', true, [1, 2], ['lit', 'sub', 'lit']],
      ['END', false, [3, 4], ['lit']],
    ]);
    expect(argv(p).map((i) => i[0]![0]![0])).toEqual(['cat', 'cat', 'echo']);
  });

  it('`<<-` strips leading tabs; the delimiter line must match exactly', () => {
    const p = parseLine('cat <<-EOF\n\thello\n\tEOF');
    expect(p.heredocs[0]!.body).toEqual([{ kind: 'lit', text: 'hello\n', quoted: true }]);
    expect(parseLine('cat <<EOF\n  EOF\nEOF').heredocs[0]!.body[0]).toMatchObject({ text: '  EOF\n' });
  });

  it('an unterminated one is incomplete, or bash’s warning at the end of the input', () => {
    expect(syntaxError('cat <<EOF\nhello', false).incomplete).toBe(true);
    const p = parseLine('cat <<EOF\nhello', { firstLine: 3 });
    expect(p.warnings).toEqual(["warning: here-document at line 3 delimited by end-of-file (wanted `EOF')"]);
    expect(p.heredocs[0]).toMatchObject({ unterminated: true, body: [{ text: 'hello\n' }] });
  });
});

describe('syntax errors', () => {
  it('are bash’s messages', () => {
    const near = (t: string) => `syntax error near unexpected token \`${t}'`;
    expect(syntaxError('| echo').message).toBe(near('|'));
    expect(syntaxError('&& echo').message).toBe(near('&&'));
    expect(syntaxError('echo a ;;').message).toBe(near(';;'));
    expect(syntaxError('echo a ; ; echo b').message).toBe(near(';'));
    expect(syntaxError('echo (a)').message).toBe(near('a'));
    expect(syntaxError('echo a (b)').message).toBe(near('('));
    expect(syntaxError('echo a)').message).toBe(near(')'));
    expect(syntaxError('cat <<').message).toBe(near('newline'));
    expect(syntaxError('cat << |').message).toBe(near('|'));
    expect(syntaxError('echo a >').message).toBe(near('newline'));
    expect(syntaxError('echo a |').message).toBe('syntax error: unexpected end of file');
    expect(syntaxError('(echo a').message).toBe('syntax error: unexpected end of file');
    expect(syntaxError("echo 'a").message).toBe("unexpected EOF while looking for matching `''");
    expect(syntaxError('echo `a').message).toBe("unexpected EOF while looking for matching ``'");
  });

  it('input that ends inside a construct is incomplete (a script reads on); other errors are not', () => {
    for (const l of ['echo a |', 'echo a &&', "echo 'a", 'echo "a', 'echo $(a', '(a', 'echo a\\']) expect(syntaxError(l, false).incomplete).toBe(true);
    for (const l of ['| a', 'a ;;', 'echo (a)']) expect(syntaxError(l, false).incomplete).toBe(false);
  });
});
