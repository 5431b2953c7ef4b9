// Go's strconv package, as of Go 1.24 (the Go of Kubernetes 1.34; Quote is the same in earlier releases).
// Printability comes from the JS engine's Unicode tables, which may be newer than Go's (Unicode
// 15.0 since Go 1.21): the two differ only for characters assigned after that.

/**
 * strconv.Quote: a double-quoted Go string literal. `"` and `\` are backslash-escaped; printable
 * runes (unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space) are
 * kept; \a \b \f \n \r \t \v use their short escapes; other runes below U+0020 and DEL are \xNN,
 * the rest \uNNNN or \UNNNNNNNN.
 *
 * A JS string can hold a lone surrogate, which no Go string can (its UTF-8 is invalid); it is
 * escaped as \uNNNN here.
 */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (ch === ' ' || !/[\p{C}\p{Z}]/u.test(ch)) {
      out += ch;
    } else if (cp < 0x20 || cp === 0x7f) {
      out += `\\x${hex(cp, 2)}`;
    } else if (cp < 0x10000) {
      out += `\\u${hex(cp, 4)}`;
    } else {
      out += `\\U${hex(cp, 8)}`;
    }
  }
  return `${out}"`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
