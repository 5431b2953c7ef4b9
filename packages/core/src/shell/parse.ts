// The shell's grammar, parsed as bash parses it: lists (`;`, `&`, newlines, `&&`, `||`),
// pipelines (`|`, `|&`, `!`), subshells `( … )` and groups `{ …; }`, words with single and
// double quotes and backslashes, command substitution `$(…)` and `` `…` `` (parsed with the
// command that holds it, so a broken one fails the whole line before anything runs),
// redirections (`>`, `>>`, `<`, `2>&1`, `&>`, `<<<`) and here-documents (`<<`, `<<-`, quoted
// delimiters; bodies read from the lines that follow, as bash reads them). No variables, globs,
// functions or control flow (`if`, `for`): their words are plain words.
//
// Errors are bash's (`syntax error near unexpected token `|'`). Input that ends inside a construct
// (an open quote, a trailing `|` or `&&`, a here-document still waiting for its delimiter) is
// `incomplete`: a script reads another line, as bash does at its `> ` prompt; with `final`
// set, it is bash's error at the end of the input instead.

export class ShellSyntaxError extends Error {
  /** The input ended inside a construct: more lines would complete it. */
  readonly incomplete: boolean;
  /** Incomplete inside a here-document: the delimiter line that would end it (a reader can skip to it). */
  readonly heredoc: { delim: string; stripTabs: boolean } | undefined;
  constructor(message: string, incomplete = false, heredoc?: { delim: string; stripTabs: boolean }) {
    super(message);
    this.incomplete = incomplete;
    this.heredoc = heredoc;
  }
}

/** Literal text; `quoted` when it came from quotes or a backslash (never split, keeps an empty word). */
export interface LitPart {
  kind: 'lit';
  text: string;
  quoted: boolean;
}
/** `$(…)` or `` `…` ``: its output (trailing newlines removed) takes its place. */
export interface SubPart {
  kind: 'sub';
  body: List;
  quoted: boolean;
}
export type WordPart = LitPart | SubPart;

export interface Word {
  parts: WordPart[];
  /** The word as typed (for error messages). */
  raw: string;
}

export interface Heredoc {
  delim: string;
  /** `<<-`: leading tabs stripped from the body and the delimiter line. */
  stripTabs: boolean;
  /** The delimiter was unquoted: `$(…)` and backslashes are processed in the body. */
  expand: boolean;
  /** The line (1-based, counting from `firstLine`) of the `<<`. */
  line: number;
  /** The body's parts (one literal when not expanded). */
  body: WordPart[];
  /** The input ended before the delimiter line (bash warns and takes what it read). */
  unterminated: boolean;
  /** The lines of the input (0-based) the body and its delimiter took. */
  lines: [number, number];
}

export type Redirect =
  | { op: '<' | '<>' | '>' | '>>' | '>|' | '&>' | '&>>' | '>&' | '<&' | '<<<'; fd: number | undefined; target: Word }
  | { op: '<<' | '<<-'; fd: number | undefined; heredoc: Heredoc };

export interface SimpleCommand {
  kind: 'simple';
  words: Word[];
  redirects: Redirect[];
}
export interface CompoundCommand {
  kind: 'subshell' | 'group';
  body: List;
  redirects: Redirect[];
}
export type Command = SimpleCommand | CompoundCommand;

export interface Pipeline {
  negate: boolean;
  commands: Command[];
  /** `|&` after commands[i]: its stderr goes down the pipe too. */
  stderrPiped: boolean[];
}
export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}
export interface ListItem {
  andOr: AndOr;
  background: boolean;
}
export interface List {
  items: ListItem[];
}

export interface ParsedLine {
  list: List;
  heredocs: Heredoc[];
  /** bash's warnings (unterminated here-documents), without the `bash: ` prefix. */
  warnings: string[];
}

export interface ParseOptions {
  /** The end of the input is the end: no more lines will come (default true). */
  final?: boolean;
  /** The line number of the input's first line, for warnings (default 1). */
  firstLine?: number;
}

type Token = { t: 'word'; word: Word } | { t: 'op'; op: string } | { t: 'io'; fd: number } | { t: 'nl' } | { t: 'eof' };

const OPS3 = ['<<<', '<<-', '&>>'];
const OPS2 = ['&&', '||', '|&', ';;', '<<', '<&', '<>', '>>', '>&', '>|', '&>'];
const OPS1 = ['|', '&', ';', '(', ')', '<', '>'];
const REDIRECT_OPS = new Set(['<', '<>', '>', '>>', '>|', '&>', '&>>', '>&', '<&', '<<<', '<<', '<<-']);
const META = ' \t\n|&;()<>';
/** How deep `$(…)`, subshells, groups and backquotes may nest (bash's limit is memory). */
const MAX_DEPTH = 100;

const EOF_MATCHING = (c: string) => new ShellSyntaxError(`unexpected EOF while looking for matching \`${c}'`, true);
const EOF_UNEXPECTED = () => new ShellSyntaxError('syntax error: unexpected end of file', true);

function unquotedText(word: Word): string | undefined {
  return word.parts.length === 1 && word.parts[0]!.kind === 'lit' && !word.parts[0]!.quoted ? word.parts[0]!.text : undefined;
}

class Parser {
  private pos = 0;
  private peeked: { tok: Token; end: number } | undefined;
  private pending: Heredoc[] = [];
  readonly heredocs: Heredoc[] = [];
  readonly warnings: string[] = [];

  constructor(
    private readonly src: string,
    private readonly final: boolean,
    private readonly firstLine: number,
    /** Nesting of `$(…)`, `(…)`, `{…}` and backquotes, bounded so that no input exhausts the stack. */
    private depth = 0,
  ) {}

  parseTop(): ParsedLine {
    const list = this.parseList(undefined);
    this.finishHeredocs();
    return { list, heredocs: this.heredocs, warnings: this.warnings };
  }

  // ---- tokens ----

  private peek(): Token {
    if (!this.peeked) {
      const save = this.pos;
      const tok = this.lex();
      this.peeked = { tok, end: this.pos };
      this.pos = save;
    }
    return this.peeked.tok;
  }

  private next(): Token {
    const tok = this.peek();
    this.pos = this.peeked!.end;
    this.peeked = undefined;
    return tok;
  }

  private skipBlanks(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && s[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  private lex(): Token {
    this.skipBlanks();
    const s = this.src;
    if (this.pos >= s.length) return { t: 'eof' };
    const c = s[this.pos]!;
    if (c === '\n') {
      this.pos++;
      this.readHeredocBodies();
      return { t: 'nl' };
    }
    for (const ops of [OPS3, OPS2, OPS1]) {
      const op = ops.find((o) => s.startsWith(o, this.pos));
      if (op) {
        this.pos += op.length;
        return { t: 'op', op };
      }
    }
    const io = /^\d+(?=[<>])/.exec(s.slice(this.pos, this.pos + 12));
    if (io) {
      this.pos += io[0].length;
      return { t: 'io', fd: Number(io[0]) };
    }
    return { t: 'word', word: this.lexWord() };
  }

  private lexWord(): Word {
    const s = this.src;
    const start = this.pos;
    const parts: WordPart[] = [];
    const lit = (text: string, quoted: boolean) => {
      const last = parts[parts.length - 1];
      if (last?.kind === 'lit' && last.quoted === quoted) last.text += text;
      else parts.push({ kind: 'lit', text, quoted });
    };
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (META.includes(c)) break;
      if (c === '\\') {
        if (this.pos + 1 >= s.length) {
          if (!this.final) throw EOF_UNEXPECTED();
          lit('\\', false);
          this.pos++;
        } else if (s[this.pos + 1] === '\n') this.pos += 2;
        else {
          lit(s[this.pos + 1]!, true);
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw EOF_MATCHING("'");
        lit(s.slice(this.pos + 1, end), true);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        lit('', true);
        this.lexDouble(parts, lit);
      } else if (c === '$' && s[this.pos + 1] === '(') {
        parts.push({ kind: 'sub', body: this.parseDollarParen(), quoted: false });
      } else if (c === '`') {
        parts.push({ kind: 'sub', body: this.parseBackquote(false), quoted: false });
      } else {
        lit(c, false);
        this.pos++;
      }
    }
    return { parts, raw: s.slice(start, this.pos) };
  }

  /** The inside of "…", after the opening quote. */
  private lexDouble(parts: WordPart[], lit: (text: string, quoted: boolean) => void): void {
    const s = this.src;
    for (;;) {
      if (this.pos >= s.length) throw EOF_MATCHING('"');
      const c = s[this.pos]!;
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\' && this.pos + 1 < s.length && '$`"\\\n'.includes(s[this.pos + 1]!)) {
        if (s[this.pos + 1] !== '\n') lit(s[this.pos + 1]!, true);
        this.pos += 2;
      } else if (c === '$' && s[this.pos + 1] === '(') {
        parts.push({ kind: 'sub', body: this.parseDollarParen(), quoted: true });
      } else if (c === '`') {
        parts.push({ kind: 'sub', body: this.parseBackquote(true), quoted: true });
      } else {
        lit(c, true);
        this.pos++;
      }
    }
  }

  /** `$(` … `)`: parsed as a command list, as bash does. */
  private parseDollarParen(): List {
    this.pos += 2;
    const saved = this.peeked;
    this.peeked = undefined;
    const body = this.parseList(')', true);
    this.next(); // ')'
    this.peeked = saved;
    return body;
  }

  /** `` `…` ``: the text up to the closing backquote (\\, \` and \$ unescaped), parsed on its own. */
  private parseBackquote(inDouble: boolean): List {
    const s = this.src;
    let text = '';
    let i = this.pos + 1;
    for (;;) {
      if (i >= s.length) throw EOF_MATCHING('`');
      const c = s[i]!;
      if (c === '`') break;
      if (c === '\\' && i + 1 < s.length) {
        const n = s[i + 1]!;
        text += n === '\\' || n === '`' || n === '$' || (inDouble && n === '"') ? n : c + n;
        i += 2;
        continue;
      }
      text += c;
      i++;
    }
    this.pos = i + 1;
    try {
      return new Parser(text, true, 1, this.depth + 1).parseTop().list;
    } catch (e) {
      if (e instanceof ShellSyntaxError) throw new ShellSyntaxError(e.message);
      throw e;
    }
  }

  // ---- here-documents ----

  private lineOf(pos: number): number {
    let n = 0;
    for (let i = 0; i < pos; i++) if (this.src[i] === '\n') n++;
    return n;
  }

  /** After a newline: each pending here-document takes the lines up to its delimiter. */
  private readHeredocBodies(): void {
    const s = this.src;
    while (this.pending.length) {
      const h = this.pending.shift()!;
      const first = this.lineOf(this.pos);
      const body: string[] = [];
      let closed = false;
      let at = first;
      for (; this.pos < s.length; at++) {
        const nl = s.indexOf('\n', this.pos);
        const raw = s.slice(this.pos, nl < 0 ? s.length : nl);
        const line = h.stripTabs ? raw.replace(/^\t+/, '') : raw;
        if (nl < 0 && !this.final && line !== h.delim) throw new ShellSyntaxError('here-document', true, { delim: h.delim, stripTabs: h.stripTabs });
        this.pos = nl < 0 ? s.length : nl + 1;
        if (line === h.delim) {
          closed = true;
          break;
        }
        body.push(line);
      }
      if (!closed && !this.final) throw new ShellSyntaxError('here-document', true, { delim: h.delim, stripTabs: h.stripTabs });
      this.settle(h, body, !closed, [first, closed ? at : at - 1]);
    }
  }

  private finishHeredocs(): void {
    if (!this.pending.length) return;
    if (!this.final) throw new ShellSyntaxError('here-document', true);
    const last = this.lineOf(this.src.length);
    for (const h of this.pending.splice(0)) this.settle(h, [], true, [last + 1, last]);
  }

  private settle(h: Heredoc, lines: string[], unterminated: boolean, range: [number, number]): void {
    const text = lines.map((l) => `${l}\n`).join('');
    h.unterminated = unterminated;
    h.lines = range;
    try {
      h.body = h.expand ? new Parser(text, true, 1, this.depth + 1).lexHeredocText() : [{ kind: 'lit', text, quoted: true }];
    } catch (e) {
      // A broken `$(` in the body is an error, never a reason to read more lines.
      if (e instanceof ShellSyntaxError) throw new ShellSyntaxError(e.message);
      throw e;
    }
    if (unterminated) this.warnings.push(`warning: here-document at line ${h.line} delimited by end-of-file (wanted \`${h.delim}')`);
  }

  /** An unquoted here-document's body: `$(…)`, `` `…` `` and \$ \` \\ \newline, nothing else. */
  lexHeredocText(): WordPart[] {
    const s = this.src;
    const parts: WordPart[] = [];
    const lit = (text: string) => {
      const last = parts[parts.length - 1];
      if (last?.kind === 'lit') last.text += text;
      else parts.push({ kind: 'lit', text, quoted: true });
    };
    lit('');
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '\\' && this.pos + 1 < s.length && '$`\\\n'.includes(s[this.pos + 1]!)) {
        if (s[this.pos + 1] !== '\n') lit(s[this.pos + 1]!);
        this.pos += 2;
      } else if (c === '$' && s[this.pos + 1] === '(') parts.push({ kind: 'sub', body: this.parseDollarParen(), quoted: true });
      else if (c === '`') parts.push({ kind: 'sub', body: this.parseBackquote(true), quoted: true });
      else {
        lit(c);
        this.pos++;
      }
    }
    return parts;
  }

  /** The delimiter word after `<<`: quotes removed, not expanded. */
  private lexDelimiter(): { delim: string; quoted: boolean } | undefined {
    const s = this.src;
    let delim = '';
    let quoted = false;
    const start = this.pos;
    while (this.pos < s.length && !META.includes(s[this.pos]!)) {
      const c = s[this.pos]!;
      if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw EOF_MATCHING("'");
        delim += s.slice(this.pos + 1, end);
        quoted = true;
        this.pos = end + 1;
      } else if (c === '"') {
        quoted = true;
        this.pos++;
        while (s[this.pos] !== '"') {
          if (this.pos >= s.length) throw EOF_MATCHING('"');
          if (s[this.pos] === '\\' && '$`"\\'.includes(s[this.pos + 1] ?? '')) this.pos++;
          delim += s[this.pos];
          this.pos++;
        }
        this.pos++;
      } else if (c === '\\' && this.pos + 1 < s.length) {
        quoted = true;
        delim += s[this.pos + 1];
        this.pos += 2;
      } else {
        delim += c;
        this.pos++;
      }
    }
    return this.pos > start ? { delim, quoted } : undefined;
  }

  // ---- grammar ----

  private unexpected(tok: Token): ShellSyntaxError {
    if (tok.t === 'eof') return EOF_UNEXPECTED();
    const name = tok.t === 'nl' ? 'newline' : tok.t === 'op' ? tok.op : tok.t === 'io' ? String(tok.fd) : tok.word.raw;
    return new ShellSyntaxError(`syntax error near unexpected token \`${name}'`);
  }

  private skipNewlines(): void {
    while (this.peek().t === 'nl') this.next();
  }

  private isTerm(tok: Token, term: ')' | '}' | undefined): boolean {
    if (term === ')') return tok.t === 'op' && tok.op === ')';
    if (term === '}') return tok.t === 'word' && unquotedText(tok.word) === '}';
    return false;
  }

  /** Commands up to `term` (or the end); `dollar`: inside `$(…)`, whose end bash reports differently. */
  private parseList(term: ')' | '}' | undefined, dollar = false): List {
    if (++this.depth > MAX_DEPTH) throw new ShellSyntaxError(`netsim: commands nested more than ${MAX_DEPTH} deep are not simulated`);
    try {
      return this.parseItems(term, dollar);
    } finally {
      this.depth--;
    }
  }

  private parseItems(term: ')' | '}' | undefined, dollar: boolean): List {
    const items: ListItem[] = [];
    const eof = () => (dollar ? EOF_MATCHING(')') : EOF_UNEXPECTED());
    for (;;) {
      this.skipNewlines();
      const tok = this.peek();
      if (tok.t === 'eof') {
        if (term) throw eof();
        break;
      }
      if (this.isTerm(tok, term)) break;
      const andOr = this.parseAndOr();
      const sep = this.peek();
      if (sep.t === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.next();
        items.push({ andOr, background: sep.op === '&' });
        continue;
      }
      items.push({ andOr, background: false });
      if (sep.t === 'nl') {
        this.next();
        continue;
      }
      if (sep.t === 'eof') {
        if (term) throw eof();
        break;
      }
      if (this.isTerm(sep, term)) break;
      throw this.unexpected(sep);
    }
    return { items };
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || (t.op !== '&&' && t.op !== '||')) break;
      this.next();
      this.skipNewlines();
      rest.push({ op: t.op, pipeline: this.parsePipeline() });
    }
    return { first, rest };
  }

  private parsePipeline(): Pipeline {
    let negate = false;
    let bang = false;
    for (let t = this.peek(); t.t === 'word' && unquotedText(t.word) === '!'; t = this.peek()) {
      this.next();
      negate = !negate;
      bang = true;
    }
    // `!` alone on its line is a pipeline of no command; before `;` or `&` it is an error.
    const after = this.peek();
    if (bang && (after.t === 'eof' || after.t === 'nl')) return { negate, commands: [], stderrPiped: [] };
    const commands = [this.parseCommand()];
    const stderrPiped: boolean[] = [];
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || (t.op !== '|' && t.op !== '|&')) break;
      this.next();
      stderrPiped.push(t.op === '|&');
      this.skipNewlines();
      commands.push(this.parseCommand());
    }
    return { negate, commands, stderrPiped };
  }

  private parseCommand(): Command {
    const t = this.peek();
    // `}` is a reserved word where a command starts: outside `{ …; }` it is bash's error.
    if (t.t === 'word' && unquotedText(t.word) === '}') throw this.unexpected(t);
    if ((t.t === 'op' && t.op === '(') || (t.t === 'word' && unquotedText(t.word) === '{')) {
      const kind = t.t === 'op' ? 'subshell' : 'group';
      this.next();
      const body = this.parseList(kind === 'subshell' ? ')' : '}');
      if (!body.items.length) throw this.unexpected(this.peek());
      this.next();
      return { kind, body, redirects: this.parseRedirects([]) };
    }
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok.t === 'word') {
        this.next();
        words.push(tok.word);
      } else if ((tok.t === 'op' && REDIRECT_OPS.has(tok.op)) || tok.t === 'io') {
        this.parseRedirects(redirects, true);
      } else if (tok.t === 'op' && tok.op === '(') {
        // `name ( )` would define a function (not simulated); `a b (` is bash's error at `(`.
        if (words.length !== 1 || redirects.length) throw this.unexpected(tok);
        this.next();
        const after = this.peek();
        if (after.t === 'op' && after.op === ')') throw new ShellSyntaxError('netsim: shell functions are not simulated');
        throw this.unexpected(after);
      } else break;
    }
    if (!words.length && !redirects.length) throw this.unexpected(this.peek());
    return { kind: 'simple', words, redirects };
  }

  private parseRedirects(into: Redirect[], once = false): Redirect[] {
    for (;;) {
      const tok = this.peek();
      let fd: number | undefined;
      if (tok.t === 'io') {
        this.next();
        fd = tok.fd;
      } else if (!(tok.t === 'op' && REDIRECT_OPS.has(tok.op))) return into;
      const opTok = this.next();
      if (opTok.t !== 'op' || !REDIRECT_OPS.has(opTok.op)) throw this.unexpected(opTok);
      const op = opTok.op;
      if (op === '<<' || op === '<<-') {
        const at = this.pos;
        this.skipBlanks();
        const d = this.lexDelimiter();
        if (!d) {
          const next = this.peek();
          throw this.unexpected(next.t === 'eof' ? { t: 'nl' } : next);
        }
        const heredoc: Heredoc = {
          delim: d.delim,
          stripTabs: op === '<<-',
          expand: !d.quoted,
          line: this.firstLine + this.lineOf(at),
          body: [],
          unterminated: false,
          lines: [0, 0],
        };
        this.heredocs.push(heredoc);
        this.pending.push(heredoc);
        into.push({ op, fd, heredoc });
      } else {
        const target = this.peek();
        if (target.t !== 'word') throw this.unexpected(target.t === 'eof' ? { t: 'nl' } : target);
        this.next();
        into.push({ op: op as Exclude<Redirect['op'], '<<' | '<<-'>, fd, target: target.word });
      }
      if (once) return into;
    }
  }
}

/** Parse a command line (or several lines: a script's continued command with its here-documents). */
export function parseLine(src: string, opts: ParseOptions = {}): ParsedLine {
  return new Parser(src, opts.final ?? true, opts.firstLine ?? 1).parseTop();
}

/** A word's text when it holds no substitution (quotes removed), else undefined. */
export function plainWord(word: Word): string | undefined {
  let out = '';
  for (const p of word.parts) {
    if (p.kind !== 'lit') return undefined;
    out += p.text;
  }
  return out;
}
