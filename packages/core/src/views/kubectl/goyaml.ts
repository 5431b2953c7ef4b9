// `kubectl get -o yaml` / `-o json` serialisation.
//
// kubectl turns the object into JSON and then into YAML with sigs.k8s.io/yaml, whose
// encoder is a fork of gopkg.in/yaml.v2. That encoder's choices are visible in every
// manifest a student copies: keys sorted (with yaml.v2's own key order), block sequences
// not indented under their key, strings quoted only when a plain scalar would read back as
// something else ("1234", "true", "2024-01-01T00:00:00Z", ""), single quotes when a plain
// scalar is impossible ('*', 'a: b'), double quotes for escapes, `|`/`|-` for multi-line
// text, and long plain/quoted strings folded at column 80. js-yaml differs on most of these,
// so this module reproduces the yaml.v2 emitter for JSON-shaped data.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

// ---------------------------------------------------------------------------------------
// Key order

function isLetter(ch: string): boolean {
  return /\p{L}/u.test(ch);
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

/**
 * yaml.v2 keyList.Less for string keys: letters compare by code point, a non-letter sorts
 * before a letter, and runs of digits compare numerically ("a2" < "a10").
 */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + (ar[ai]!.charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + (br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}

function yamlKeyCompare(a: string, b: string): number {
  if (yamlKeyLess(a, b)) return -1;
  if (yamlKeyLess(b, a)) return 1;
  return 0;
}

// ---------------------------------------------------------------------------------------
// Would a plain scalar read back as a string? (yaml.v2 resolve + isBase60Float)

const RESOLVE_MAP = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
  '<<',
]);

function resolveHint(s: string): string {
  if (s === '') return 'N';
  const c = s[0]!;
  if (c === '+' || c === '-') return 'S';
  if (isDigit(c)) return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return '';
}

const GO_INT = /^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TS_DATETIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})| (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?)?$/;

/** yaml.v2 parseTimestamp (the layouts it tries, with Go's range checks). */
function isYamlTimestamp(s: string): boolean {
  const m = TS_DATETIME.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return false;
  const h = m[4] ?? m[7];
  const mi = m[5] ?? m[8];
  const se = m[6] ?? m[9];
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59)) return false;
  return true;
}

/** True when yaml.v2 would write `s` as a plain scalar if the characters allow it. */
function resolvesToString(s: string): boolean {
  const hint = resolveHint(s);
  if (hint !== '') {
    if (RESOLVE_MAP.has(s)) return false;
    if (hint === '.') {
      if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)) return false;
    } else if (hint === 'D' || hint === 'S') {
      if (isYamlTimestamp(s)) return false;
      const plain = s.replace(/_/g, '');
      if (GO_INT.test(plain) || YAML_STYLE_FLOAT.test(plain)) return false;
    }
  }
  return !BASE60_FLOAT.test(s);
}

// ---------------------------------------------------------------------------------------
// Scalar analysis (yaml_emitter_analyze_scalar)

function isBreakCh(ch: string): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
}

function isBlankCh(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** yaml's is_printable (the emitter runs with unicode enabled). */
function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
}

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyzeScalar(value: string): ScalarAnalysis {
  const chars = [...value];
  if (chars.length === 0) {
    return { multiline: false, blockPlainAllowed: false, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;

  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;

  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const followedByWhitespace = i + 1 >= chars.length || isBlankCh(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':') && followedByWhitespace) blockIndicators = true;
      else if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWhitespace) blockIndicators = true;
      else if (ch === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(ch) || ch === '\ufeff') specialCharacters = true;
    if (isBreakCh(ch)) lineBreaks = true;

    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakCh(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankCh(ch) || isBreakCh(ch);
  }

  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    blockPlainAllowed = false;
    singleQuotedAllowed = false;
    blockAllowed = false;
  }
  if (lineBreaks) blockPlainAllowed = false;
  if (blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

type Style = 'plain' | 'single' | 'double' | 'literal';

function selectStyle(value: string, simpleKey: boolean): Style {
  // encoder.stringv: text with a newline asks for a literal block, text that would not
  // read back as a string asks for double quotes, everything else asks for plain.
  let style: Style = value.includes('\n') ? 'literal' : resolvesToString(value) ? 'plain' : 'double';
  const a = analyzeScalar(value);
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (value.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

// ---------------------------------------------------------------------------------------
// The emitter

class Emitter {
  out = '';
  column = 0;
  /** The last thing written was whitespace (or nothing on this line). */
  whitespace = true;
  /** Only indentation has been written on this line. */
  indention = true;

  put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  writeIndent(indent: number): void {
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of indicator) this.put(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** Numbers, booleans and null: always plain, never folded. */
  scalarRaw(text: string): void {
    if (!this.whitespace) this.put(' ');
    for (const ch of text) this.put(ch);
    this.whitespace = false;
    this.indention = false;
  }

  /** `indent` is where continuation lines of this scalar start. */
  scalar(value: string, indent: number, simpleKey: boolean): void {
    const allowBreaks = !simpleKey;
    switch (selectStyle(value, simpleKey)) {
      case 'plain':
        return this.plain(value, indent, allowBreaks);
      case 'single':
        return this.singleQuoted(value, indent, allowBreaks);
      case 'double':
        return this.doubleQuoted(value, indent, allowBreaks);
      case 'literal':
        return this.literal(value, indent);
    }
  }

  private plain(value: string, indent: number, allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    const chars = [...value];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== ' ') {
          this.writeIndent(indent);
        } else {
          this.put(ch);
        }
        spaces = true;
      } else {
        this.put(ch);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(value: string, indent: number, allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    const chars = [...value];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1 && chars[i + 1] !== ' ') {
          this.writeIndent(indent);
        } else {
          this.put(ch);
        }
        spaces = true;
      } else {
        if (ch === "'") this.put("'");
        this.put(ch);
        this.indention = false;
        spaces = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private doubleQuoted(value: string, indent: number, allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    const chars = [...value];
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      if (!isPrintable(ch) || ch === '\ufeff' || isBreakCh(ch) || ch === '"' || ch === '\\') {
        this.put('\\');
        const esc = DOUBLE_QUOTE_ESCAPES[ch];
        if (esc !== undefined) {
          this.put(esc);
        } else {
          const c = ch.codePointAt(0)!;
          const hex = c.toString(16).toUpperCase();
          const [prefix, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
          for (const h of prefix + hex.padStart(width, '0')) this.put(h);
        }
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
          this.writeIndent(indent);
          if (chars[i + 1] === ' ') this.put('\\');
        } else {
          this.put(ch);
        }
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(value: string, indent: number): void {
    this.writeIndicator('|', true, false, false);
    const chars = [...value];
    // Indentation indicator when the text starts with a space or a line break.
    if (chars[0] === ' ' || isBreakCh(chars[0] ?? '')) this.writeIndicator(String(BEST_INDENT), false, false, false);
    // Chomping: "-" strips the absent final newline, "+" keeps extra ones.
    let chomp = '';
    const last = chars.length - 1;
    if (chars.length === 0 || !isBreakCh(chars[last]!)) chomp = '-';
    else if (last === 0 || isBreakCh(chars[last - 1]!)) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const ch of chars) {
      if (isBreakCh(ch)) {
        this.putBreak();
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) {
          this.writeIndent(indent);
          breaks = false;
        }
        this.put(ch);
        this.indention = false;
      }
    }
  }
}

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\u0085': 'N',
  '\u00a0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

/** strconv.FormatFloat(f, 'g', -1, 64) with yaml.v2's names for the specials. */
function goFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return String(x);
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  // %e is used when the exponent is < -4 or >= 6 (the shortest-precision rule).
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
  }
  return String(x);
}

function isEmptyCollection(v: Json): boolean {
  return Array.isArray(v) ? v.length === 0 : v !== null && typeof v === 'object' && Object.keys(v).length === 0;
}

function emitNonCollection(e: Emitter, v: Json, indent: number): void {
  if (v === null) return e.scalarRaw('null');
  if (typeof v === 'boolean') return e.scalarRaw(v ? 'true' : 'false');
  if (typeof v === 'number') return e.scalarRaw(goFloat(v));
  if (typeof v === 'string') return e.scalar(v, indent, false);
  // An empty collection is written in flow style.
  e.writeIndicator(Array.isArray(v) ? '[' : '{', true, true, false);
  e.writeIndicator(Array.isArray(v) ? ']' : '}', false, false, false);
}

function emitMapping(e: Emitter, obj: { [key: string]: Json }, indent: number): void {
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort(yamlKeyCompare);
  for (const key of keys) {
    e.writeIndent(indent);
    e.scalar(key, indent, true);
    e.writeIndicator(':', false, false, false);
    emitValue(e, obj[key]!, indent, 'mapping');
  }
}

function emitSequence(e: Emitter, arr: Json[], indent: number): void {
  for (const item of arr) {
    e.writeIndent(indent);
    e.writeIndicator('-', true, false, true);
    emitValue(e, item === undefined ? null : item, indent, 'sequence');
  }
}

/** `indent` is the column of the key or "-" that owns the value. */
function emitValue(e: Emitter, v: Json, indent: number, parent: 'mapping' | 'sequence'): void {
  if (v !== null && typeof v === 'object' && !isEmptyCollection(v)) {
    if (Array.isArray(v)) {
      // A sequence under a mapping key is "indentless": its dashes line up with the key.
      emitSequence(e, v, parent === 'mapping' ? indent : indent + BEST_INDENT);
    } else {
      emitMapping(e, v, indent + BEST_INDENT);
    }
    return;
  }
  emitNonCollection(e, v, indent + BEST_INDENT);
}

/** Converts a value to plain JSON data the way encoding/json would see it. */
function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value ?? null)) as Json;
}

/** sigs.k8s.io/yaml.Marshal of a JSON-shaped value, as `kubectl get -o yaml` prints it. */
export function toKubectlYaml(value: unknown): string {
  const v = toJson(value);
  const e = new Emitter();
  if (v !== null && typeof v === 'object' && !isEmptyCollection(v)) {
    if (Array.isArray(v)) emitSequence(e, v, 0);
    else emitMapping(e, v, 0);
  } else {
    emitNonCollection(e, v, 0);
  }
  if (e.column !== 0) e.putBreak();
  return e.out;
}

function sortKeysDeep(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v !== null && typeof v === 'object') {
    const out: { [key: string]: Json } = {};
    // encoding/json sorts map keys bytewise.
    for (const k of Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = sortKeysDeep(v[k]!);
    return out;
  }
  return v;
}

/**
 * json.MarshalIndent(obj, "", "    ") of the unstructured object, as `kubectl get -o json`
 * prints it: keys sorted, 4-space indent, and Go's HTML-safe escaping of <, > and &.
 */
export function toKubectlJson(value: unknown): string {
  const text = JSON.stringify(sortKeysDeep(toJson(value)), null, 4);
  return `${text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
