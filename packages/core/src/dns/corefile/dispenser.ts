// The token cursor each plugin's setup receives (caddyfile.Dispenser, which CoreDNS hands over
// wrapped in a caddy.Controller): one directive's tokens, its server block's zones, and errors in
// the dispenser's wording, prefixed `plugin/<name>:` as plugin.Error does.

import { onSameLine } from './lexer.js';
import { CorefileError, type CorefileToken } from './types.js';

export interface DispenserInit {
  /** Every occurrence of one directive in one server block, tokens in Corefile order. */
  tokens: CorefileToken[];
  /** The Corefile's path, for errors when the cursor is on no token. */
  file: string;
  /** The directive, for `plugin/<name>:` prefixes. */
  plugin: string;
  /** Normalised server block zones (c.ServerBlockKeys through plugin.Host.Normalize). */
  keys: string[];
  /** Files visible inside the CoreDNS container (ParseOptions.files). */
  files: Record<string, string>;
  /** Where setups add what CoreDNS would log as [WARNING] (shared by the whole Corefile). */
  warnings: string[];
}

export class Dispenser {
  readonly tokens: CorefileToken[];
  readonly file: string;
  readonly plugin: string;
  readonly keys: string[];
  readonly files: Record<string, string>;
  readonly warnings: string[];
  private cursor = -1;
  private nesting = 0;

  constructor(init: DispenserInit) {
    this.tokens = init.tokens;
    this.file = init.file;
    this.plugin = init.plugin;
    this.keys = init.keys;
    this.files = init.files;
    this.warnings = init.warnings;
  }

  /** Next: moves to the next token, on any line. */
  next(): boolean {
    if (this.cursor < this.tokens.length - 1) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /** Val: the current token's text ('' before the first token). */
  val(): string {
    return this.tokens[this.cursor]?.text ?? '';
  }

  /** NextArg: moves to the next token only if it is on the same line. */
  nextArg(): boolean {
    if (this.cursor < 0) {
      this.cursor++;
      return true;
    }
    if (onSameLine(this.tokens[this.cursor], this.tokens[this.cursor + 1])) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /** RemainingArgs: the rest of the line's arguments, stopping before a `{`. */
  remainingArgs(): string[] {
    const args: string[] = [];
    while (this.nextArg()) {
      if (this.val() === '{') {
        this.cursor--;
        break;
      }
      args.push(this.val());
    }
    return args;
  }

  /** NextBlock: enters the directive's `{ … }` block and steps through its lines; false at `}`. */
  nextBlock(): boolean {
    if (this.nesting > 0) {
      this.next();
      if (this.val() === '}') {
        this.nesting--;
        return false;
      }
      return true;
    }
    if (!this.nextArg()) return false;
    if (this.val() !== '{') {
      this.cursor--;
      return false;
    }
    this.next();
    if (this.val() === '}') return false;
    this.nesting++;
    return true;
  }

  /** plugin.Error(name, err): `plugin/<name>: <err>`. */
  pluginErr(msg: string): CorefileError {
    return new CorefileError(`plugin/${this.plugin}: ${msg}`);
  }

  /** Errf, wrapped by plugin.Error: `plugin/<name>: <file>:<line> - Error during parsing: <msg>`. */
  errf(msg: string): CorefileError {
    const t = this.tokens[Math.max(0, Math.min(this.cursor, this.tokens.length - 1))];
    return this.pluginErr(`${t?.file ?? this.file}:${t?.line ?? 0} - Error during parsing: ${msg}`);
  }

  /** ArgErr, wrapped by plugin.Error. */
  argErr(): CorefileError {
    if (this.val() === '{') return this.errf("Unexpected token '{', expecting argument");
    return this.errf(`Wrong argument count or unexpected line ending after '${this.val()}'`);
  }
}
