// The Corefile lexer (caddyfile/lexer.go semantics), shared by the parser and the dispenser: text
// → tokens that remember their file and line, since "same line" is what separates arguments.

import type { CorefileToken } from './types.js';

/**
 * Whitespace separates tokens, `"…"` quotes (only `\"` is an escape), `#` starts a comment
 * wherever it appears outside quotes, `{`/`}` are ordinary tokens that only mean something when
 * they stand alone.
 */
export function tokenize(text: string, file: string): CorefileToken[] {
  const out: CorefileToken[] = [];
  let line = 1;
  let val = '';
  let tokLine = 1;
  let inToken = false;
  let quoted = false;
  let escaped = false;
  let comment = false;
  const emit = () => {
    out.push({ text: val, line: tokLine, file });
    val = '';
    inToken = false;
  };
  for (const ch of text) {
    if (quoted) {
      if (!escaped) {
        if (ch === '\\') {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quoted = false;
          emit();
          continue;
        }
      }
      if (ch === '\n') line++;
      if (escaped && ch !== '"') val += '\\';
      val += ch;
      escaped = false;
      continue;
    }
    if (ch === '\r') continue;
    if (/\s/u.test(ch)) {
      if (ch === '\n') {
        line++;
        comment = false;
      }
      if (inToken) emit();
      continue;
    }
    if (ch === '#') comment = true;
    if (comment) continue;
    if (!inToken) {
      inToken = true;
      tokLine = line;
      if (ch === '"') {
        quoted = true;
        continue;
      }
    }
    val += ch;
  }
  if (inToken && (val.length > 0 || !quoted)) emit();
  return out;
}

export function lineBreaks(t: CorefileToken | undefined): number {
  if (!t) return 0;
  let n = 0;
  for (const c of t.text) if (c === '\n') n++;
  return n;
}

/** Whether `b` continues the line `a` ends on (a quoted token may span lines): NextArg's test. */
export function onSameLine(a: CorefileToken | undefined, b: CorefileToken | undefined): boolean {
  return !!a && !!b && a.file === b.file && a.line + lineBreaks(a) === b.line;
}
