// Go's encoding/json and encoding/base64 as far as their error text reaches users: the
// syntax scanner (checkValid runs before any decoding, so a syntax error always wins), a
// parse tree that keeps number literals and raw value text (json.Unmarshal reports
// `number 1.5` and hands Unmarshalers the raw bytes), and StdEncoding's decoder, which
// encoding/json uses for []byte fields such as ConfigMap.binaryData.

// ---------------------------------------------------------------------------------------
// Syntax (encoding/json scanner.go)

type ParseFrame = 'objectKey' | 'objectValue' | 'arrayValue';

type State =
  | 'beginValue'
  | 'beginValueOrEmpty'
  | 'beginStringOrEmpty'
  | 'beginString'
  | 'endValue'
  | 'endTop'
  | 'inString'
  | 'inStringEsc'
  | 'inStringEscU'
  | 'inStringEscU1'
  | 'inStringEscU12'
  | 'inStringEscU123'
  | 'neg'
  | 'one'
  | 'zero'
  | 'dot'
  | 'dot0'
  | 'e'
  | 'eSign'
  | 'e0'
  | `lit:${string}`;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' };

/** scanner.go quoteChar: how a byte appears in "invalid character ..." messages. */
function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };
  if (named[c]) return `'${named[c]}'`;
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `'\\x${c.toString(16).padStart(2, '0')}'`;
}

class Scanner {
  private state: State = 'beginValue';
  private readonly stack: ParseFrame[] = [];
  endTop = false;
  error: string | undefined;

  private fail(c: number, context: string): void {
    this.error = `invalid character ${quoteChar(c)} ${context}`;
  }

  private afterPop(): void {
    if (this.stack.length === 0) {
      this.state = 'endTop';
      this.endTop = true;
    } else {
      this.state = 'endValue';
    }
  }

  /** One byte through the state machine; sets `error` on failure. */
  step(c: number): void {
    const s = this.state;
    switch (s) {
      case 'beginValueOrEmpty':
        if (isSpace(c)) return;
        if (c === 0x5d) return this.endValue(c);
        return this.beginValue(c);
      case 'beginValue':
        return this.beginValue(c);
      case 'beginStringOrEmpty':
        if (isSpace(c)) return;
        if (c === 0x7d) {
          this.stack[this.stack.length - 1] = 'objectValue';
          return this.endValue(c);
        }
        return this.beginString(c);
      case 'beginString':
        return this.beginString(c);
      case 'endValue':
        return this.endValue(c);
      case 'endTop':
        if (!isSpace(c)) this.fail(c, 'after top-level value');
        return;
      case 'inString':
        if (c === 0x22) this.state = 'endValue';
        else if (c === 0x5c) this.state = 'inStringEsc';
        else if (c < 0x20) this.fail(c, 'in string literal');
        return;
      case 'inStringEsc':
        if ('bfnrt\\/"'.includes(String.fromCharCode(c))) this.state = 'inString';
        else if (c === 0x75) this.state = 'inStringEscU';
        else this.fail(c, 'in string escape code');
        return;
      case 'inStringEscU':
      case 'inStringEscU1':
      case 'inStringEscU12':
      case 'inStringEscU123': {
        if (!isHex(c)) return this.fail(c, 'in \\u hexadecimal character escape');
        const next: Record<string, State> = {
          inStringEscU: 'inStringEscU1',
          inStringEscU1: 'inStringEscU12',
          inStringEscU12: 'inStringEscU123',
          inStringEscU123: 'inString',
        };
        this.state = next[s]!;
        return;
      }
      case 'neg':
        if (c === 0x30) this.state = 'zero';
        else if (c >= 0x31 && c <= 0x39) this.state = 'one';
        else this.fail(c, 'in numeric literal');
        return;
      case 'one':
        if (isDigit(c)) return;
        return this.zero(c);
      case 'zero':
        return this.zero(c);
      case 'dot':
        if (isDigit(c)) this.state = 'dot0';
        else this.fail(c, 'after decimal point in numeric literal');
        return;
      case 'dot0':
        if (isDigit(c)) return;
        if (c === 0x65 || c === 0x45) this.state = 'e';
        else this.endValue(c);
        return;
      case 'e':
        if (c === 0x2b || c === 0x2d) {
          this.state = 'eSign';
          return;
        }
        return this.eSign(c);
      case 'eSign':
        return this.eSign(c);
      case 'e0':
        if (isDigit(c)) return;
        return this.endValue(c);
      default: {
        // Inside true/false/null: `lit:<word>:<position>`.
        const [, word, pos] = s.split(':') as [string, string, string];
        const i = Number(pos);
        const want = word.charCodeAt(i);
        if (c !== want) return this.fail(c, `in literal ${word} (expecting '${word[i]}')`);
        this.state = i + 1 === word.length ? 'endValue' : `lit:${word}:${i + 1}`;
      }
    }
  }

  private beginValue(c: number): void {
    if (isSpace(c)) {
      this.state = 'beginValue';
      return;
    }
    const ch = String.fromCharCode(c);
    if (c === 0x7b) {
      this.stack.push('objectKey');
      this.state = 'beginStringOrEmpty';
    } else if (c === 0x5b) {
      this.stack.push('arrayValue');
      this.state = 'beginValueOrEmpty';
    } else if (c === 0x22) {
      this.state = 'inString';
    } else if (c === 0x2d) {
      this.state = 'neg';
    } else if (c === 0x30) {
      this.state = 'zero';
    } else if (c >= 0x31 && c <= 0x39) {
      this.state = 'one';
    } else if (LITERALS[ch]) {
      this.state = `lit:${LITERALS[ch]}:1`;
    } else {
      this.fail(c, 'looking for beginning of value');
    }
  }

  private beginString(c: number): void {
    if (isSpace(c)) {
      this.state = 'beginString';
      return;
    }
    if (c === 0x22) this.state = 'inString';
    else this.fail(c, 'looking for beginning of object key string');
  }

  private zero(c: number): void {
    if (c === 0x2e) this.state = 'dot';
    else if (c === 0x65 || c === 0x45) this.state = 'e';
    else this.endValue(c);
  }

  private eSign(c: number): void {
    if (isDigit(c)) this.state = 'e0';
    else this.fail(c, 'in exponent of numeric literal');
  }

  private endValue(c: number): void {
    const n = this.stack.length;
    if (n === 0) {
      this.state = 'endTop';
      this.endTop = true;
      if (!isSpace(c)) this.fail(c, 'after top-level value');
      return;
    }
    if (isSpace(c)) {
      this.state = 'endValue';
      return;
    }
    switch (this.stack[n - 1]!) {
      case 'objectKey':
        if (c === 0x3a) {
          this.stack[n - 1] = 'objectValue';
          this.state = 'beginValue';
        } else {
          this.fail(c, 'after object key');
        }
        return;
      case 'objectValue':
        if (c === 0x2c) {
          this.stack[n - 1] = 'objectKey';
          this.state = 'beginString';
        } else if (c === 0x7d) {
          this.stack.pop();
          this.afterPop();
        } else {
          this.fail(c, 'after object key:value pair');
        }
        return;
      case 'arrayValue':
        if (c === 0x2c) {
          this.state = 'beginValue';
        } else if (c === 0x5d) {
          this.stack.pop();
          this.afterPop();
        } else {
          this.fail(c, 'after array element');
        }
    }
  }
}

/** json.Unmarshal's syntax error for `text`, or undefined when it is valid JSON. */
export function goJsonSyntaxError(text: string): string | undefined {
  const bytes = new TextEncoder().encode(text);
  const scan = new Scanner();
  for (const c of bytes) {
    scan.step(c);
    if (scan.error) return scan.error;
  }
  if (scan.endTop) return undefined;
  // scanner.eof(): one more space, which may itself be the invalid character.
  scan.step(0x20);
  if (scan.error) return scan.error;
  return scan.endTop ? undefined : 'unexpected end of JSON input';
}

// ---------------------------------------------------------------------------------------
// Parse tree of valid JSON

export type GoJsonNode =
  | { kind: 'object'; raw: string; entries: [string, GoJsonNode][] }
  | { kind: 'array'; raw: string; items: GoJsonNode[] }
  | { kind: 'string'; raw: string; value: string }
  | { kind: 'number'; raw: string }
  | { kind: 'bool'; raw: string; value: boolean }
  | { kind: 'null'; raw: string };

/** Parses JSON into a tree that keeps key order, duplicates and literal text. Throws the Go syntax error. */
export function parseGoJson(text: string): GoJsonNode {
  const syntax = goJsonSyntaxError(text);
  if (syntax) throw new SyntaxError(syntax);
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): GoJsonNode => {
    ws();
    const start = i;
    const c = text[i]!;
    if (c === '{') {
      i++;
      const entries: [string, GoJsonNode][] = [];
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          const key = str();
          ws();
          i++; // ':'
          entries.push([key, value()]);
          ws();
          if (text[i++] === '}') break;
        }
      }
      return { kind: 'object', raw: text.slice(start, i), entries };
    }
    if (c === '[') {
      i++;
      const items: GoJsonNode[] = [];
      ws();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          items.push(value());
          ws();
          if (text[i++] === ']') break;
        }
      }
      return { kind: 'array', raw: text.slice(start, i), items };
    }
    if (c === '"') {
      const v = str();
      return { kind: 'string', raw: text.slice(start, i), value: v };
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return word === 'null' ? { kind: 'null', raw: word } : { kind: 'bool', raw: word, value: word === 'true' };
      }
    }
    while (i < text.length && /[-+.eE0-9]/.test(text[i]!)) i++;
    return { kind: 'number', raw: text.slice(start, i) };
  };
  return value();
}

// ---------------------------------------------------------------------------------------
// base64.StdEncoding.Decode

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((ch, i) => [ch.charCodeAt(0), i]));

/**
 * Decoded length of a base64 (standard alphabet, padded) string, or Go's
 * CorruptInputError text. Newlines are skipped as Go does; byte offsets count UTF-8.
 */
export function goBase64DecodedLength(s: string): number | string {
  const src = new TextEncoder().encode(s);
  const corrupt = (at: number): string => `illegal base64 data at input byte ${at}`;
  const isNL = (c: number | undefined): boolean => c === 0x0a || c === 0x0d;
  let si = 0;
  let n = 0;
  // decodeQuantum, repeated: the fast paths in Decode only skip work, never change results.
  while (si < src.length) {
    let dlen = 4;
    let trailingGarbage: number | undefined;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return n;
        return corrupt(si - j);
      }
      const c = src[si]!;
      si++;
      if (B64_INDEX.has(c)) continue;
      if (isNL(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) return corrupt(si - 1);
      // Padding: only after two or three data characters.
      if (j < 2) return corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNL(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== 0x3d) return corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNL(src[si])) si++;
      if (si < src.length) trailingGarbage = si;
      dlen = j;
      break;
    }
    n += dlen - 1;
    if (trailingGarbage !== undefined) return corrupt(trailingGarbage);
    if (dlen < 4) return n;
  }
  return n;
}
