// The server-block parser (caddyfile/parse.go): tokens → blocks of keys and raw directives, with
// `import` and `(snippet)` expansion, plus the per-line Directive tree kept for display and round trips.

import { COREDNS_DIRECTIVES } from './directives.js';
import { lineBreaks, onSameLine, tokenize } from './lexer.js';
import { CorefileError, type CorefileToken, type Directive } from './types.js';

// Errors in the dispenser's wording.

function errAt(t: CorefileToken | undefined, fallbackFile: string, msg: string): CorefileError {
  return new CorefileError(`${t?.file ?? fallbackFile}:${t?.line ?? 0} - Error during parsing: ${msg}`);
}

function syntaxErrAt(t: CorefileToken | undefined, fallbackFile: string, expected: string): CorefileError {
  return new CorefileError(`${t?.file ?? fallbackFile}:${t?.line ?? 0} - Syntax error: Unexpected token '${t?.text ?? ''}', expecting '${expected}'`);
}

/** A directive's tokens as the parser collected them (the name first), for its plugin's setup. */
export interface RawDirective {
  name: string;
  tokens: CorefileToken[];
}

/** A server block before InspectServerBlocks: its key tokens and directives in Corefile order. */
export interface RawBlock {
  keys: CorefileToken[];
  directives: RawDirective[];
}

interface ParserState {
  tokens: CorefileToken[];
  cursor: number;
  file: string;
  snippets: Map<string, CorefileToken[]>;
  files: Record<string, string>;
  warnings: string[];
  eof: boolean;
}

const VALID_DIRECTIVES: ReadonlySet<string> = new Set(COREDNS_DIRECTIVES);

function cur(p: ParserState): CorefileToken | undefined {
  return p.tokens[p.cursor];
}

function val(p: ParserState): string {
  return cur(p)?.text ?? '';
}

function next(p: ParserState): boolean {
  if (p.cursor < p.tokens.length - 1) {
    p.cursor++;
    return true;
  }
  return false;
}

function isNewLine(p: ParserState): boolean {
  if (p.cursor < 1) return true;
  const prev = p.tokens[p.cursor - 1];
  const c = p.tokens[p.cursor];
  if (!prev || !c) return true;
  return prev.file !== c.file || prev.line + lineBreaks(prev) < c.line;
}

function nextArg(p: ParserState): boolean {
  if (p.cursor < 0) {
    p.cursor++;
    return true;
  }
  if (onSameLine(p.tokens[p.cursor], p.tokens[p.cursor + 1])) {
    p.cursor++;
    return true;
  }
  return false;
}

function perr(p: ParserState, msg: string): CorefileError {
  return errAt(cur(p), p.file, msg);
}

function doImport(p: ParserState): void {
  if (!nextArg(p)) throw perr(p, `Wrong argument count or unexpected line ending after '${val(p)}'`);
  const pattern = val(p);
  if (pattern === '') throw perr(p, 'Import requires a non-empty filepath');
  if (nextArg(p)) throw perr(p, 'Import takes only one argument (glob pattern or file)');
  let imported: CorefileToken[] = [];
  const snippet = p.snippets.get(pattern);
  if (snippet) imported = snippet;
  else if (p.files[pattern] !== undefined) imported = tokenize(p.files[pattern] ?? '', pattern);
  else if (/[*?[\]]/.test(pattern)) p.warnings.push(`[WARNING] No files matching import glob pattern: ${pattern}`);
  else throw perr(p, `File to import not found: ${pattern}`);
  // Splice `import <pattern>` out and the imported tokens in, as doImport does.
  const before = p.tokens.slice(0, p.cursor - 1);
  const after = p.tokens.slice(p.cursor + 1);
  p.tokens = [...before, ...imported, ...after];
  p.cursor--;
}

function addresses(p: ParserState, block: RawBlock): void {
  let expectingAnother = false;
  for (;;) {
    let tkn = val(p);
    if (tkn === 'import' && isNewLine(p)) {
      doImport(p);
      continue;
    }
    if (tkn === '{') {
      if (expectingAnother) throw perr(p, `Expected another address but had '${tkn}' - check for extra comma`);
      break;
    }
    if (tkn !== '') {
      if (tkn.endsWith(',')) {
        tkn = tkn.slice(0, -1);
        expectingAnother = true;
      } else {
        expectingAnother = false;
      }
      const c = cur(p);
      block.keys.push({ text: tkn, line: c?.line ?? 0, file: c?.file ?? p.file });
    }
    const hasNext = next(p);
    if (expectingAnother && !hasNext) throw perr(p, 'Unexpected EOF');
    if (!hasNext) {
      p.eof = true;
      break;
    }
    if (!expectingAnother && isNewLine(p)) break;
  }
}

function directive(p: ParserState, block: RawBlock): void {
  const dir = val(p);
  if (!VALID_DIRECTIVES.has(dir)) throw perr(p, `Unknown directive '${dir}'`);
  const first = cur(p);
  const tokens: CorefileToken[] = first ? [first] : [];
  let nesting = 0;
  while (next(p)) {
    const v = val(p);
    if (v === '{') nesting++;
    else if (isNewLine(p) && nesting === 0) {
      p.cursor--;
      break;
    } else if (v === '}' && nesting > 0) nesting--;
    else if (v === '}' && nesting === 0) throw perr(p, "Unexpected '}' because no matching opening brace");
    const c = cur(p);
    if (c) tokens.push(c);
  }
  if (nesting > 0) throw perr(p, 'Unexpected EOF');
  block.directives.push({ name: dir, tokens });
}

function directives(p: ParserState, block: RawBlock): void {
  while (next(p)) {
    if (val(p) === '}') break;
    if (val(p) === 'import') {
      doImport(p);
      p.cursor--;
      continue;
    }
    directive(p, block);
  }
}

function snippetTokens(p: ParserState): CorefileToken[] {
  if (val(p) !== '{') throw syntaxErrAt(cur(p), p.file, '{');
  let count = 1;
  const tokens: CorefileToken[] = [];
  while (next(p)) {
    if (val(p) === '}') {
      count--;
      if (count === 0) break;
    }
    if (val(p) === '{') count++;
    const c = cur(p);
    if (c) tokens.push(c);
  }
  if (count !== 0) throw syntaxErrAt(cur(p), p.file, '}');
  return tokens;
}

function parseOne(p: ParserState): RawBlock | undefined {
  const block: RawBlock = { keys: [], directives: [] };
  if (p.tokens.length === 0) return undefined;
  addresses(p, block);
  if (p.eof) return block;
  const only = block.keys.length === 1 ? (block.keys[0]?.text ?? '') : '';
  if (only.startsWith('(') && only.endsWith(')')) {
    p.snippets.set(only.slice(1, -1), snippetTokens(p));
    return undefined;
  }
  const opened = val(p) === '{';
  if (!opened) p.cursor--; // single-server configs don't need curly braces
  directives(p, block);
  if (opened && val(p) !== '}') throw syntaxErrAt(cur(p), p.file, '}');
  return block;
}

/** Parse a whole Corefile into its server blocks (snippets are expanded, not returned). */
export function parseServerBlocks(text: string, file: string, files: Record<string, string>, warnings: string[]): RawBlock[] {
  const p: ParserState = { tokens: tokenize(text, file), cursor: -1, file, snippets: new Map(), files, warnings, eof: false };
  return parseAll(p);
}

function parseAll(p: ParserState): RawBlock[] {
  const blocks: RawBlock[] = [];
  while (next(p)) {
    const b = parseOne(p);
    if (b && b.keys.length > 0) blocks.push(b);
  }
  return blocks;
}

/** Directive tree (for display and round trips): one Directive per line, `{ … }` nests. */
export function directiveTree(tokens: CorefileToken[]): Directive {
  let i = 0;
  const readLine = (): Directive | undefined => {
    const head = tokens[i];
    if (!head) return undefined;
    i++;
    const d: Directive = { name: head.text, args: [], line: head.line };
    let prev = head;
    while (i < tokens.length && onSameLine(prev, tokens[i])) {
      const t = tokens[i]!;
      if (t.text === '{') {
        i++;
        d.block = readBlock();
        return d;
      }
      d.args.push(t.text);
      prev = t;
      i++;
    }
    // A `{` opening on the next line still belongs to this directive (the parser allows it).
    if (tokens[i]?.text === '{') {
      i++;
      d.block = readBlock();
    }
    return d;
  };
  const readBlock = (): Directive[] => {
    const out: Directive[] = [];
    while (i < tokens.length) {
      if (tokens[i]?.text === '}') {
        i++;
        return out;
      }
      const d = readLine();
      if (d) out.push(d);
    }
    return out;
  };
  return readLine() ?? { name: '', args: [], line: 0 };
}
