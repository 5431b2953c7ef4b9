// Command substitution, `$(…)`, as POSIX shells do it: the inner command runs first (innermost
// first when nested) and its output, trailing newlines removed, takes its place. Not inside
// single quotes. Lets lesson scripts say `nsenter -t $(docker inspect -f '{{.State.Pid}}' ID) -n ip addr`.

import { ShellSyntaxError } from './tokenize.js';

/** Index of the `)` closing the `$(` that starts at `open` (which points at `$`). */
function closing(line: string, open: string | number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = Number(open) + 1; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new ShellSyntaxError("unexpected EOF while looking for matching `)'");
}

export function substitute(line: string, run: (inner: string) => string): string {
  let out = '';
  let inSingle = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") inSingle = !inSingle;
    if (!inSingle && c === '$' && line[i + 1] === '(') {
      const end = closing(line, i);
      const inner = substitute(line.slice(i + 2, end), run);
      out += run(inner).replace(/\n+$/, '');
      i = end;
      continue;
    }
    out += c;
  }
  return out;
}
