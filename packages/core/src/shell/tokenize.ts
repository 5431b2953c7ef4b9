// A small POSIX-shell tokenizer: words with single/double quotes and backslashes, pipelines
// (`|`), and a trailing here-document marker (`<<EOF`, `<<'EOF'`, `<<-EOF`). Enough for lesson
// scripts; no globbing, variables, subshells or redirections other than the heredoc.

export interface ParsedLine {
  /** Each stage of the pipeline as argv. */
  pipeline: string[][];
  /** Here-document delimiter when the line ends with `<<DELIM`. */
  heredoc?: string;
}

export class ShellSyntaxError extends Error {}

export function tokenize(line: string): ParsedLine {
  const pipeline: string[][] = [];
  let argv: string[] = [];
  let word = '';
  let inWord = false;
  let heredoc: string | undefined;
  let i = 0;
  const push = () => {
    if (inWord) argv.push(word);
    word = '';
    inWord = false;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) i++;
        word += line[i];
        i++;
      }
      if (i >= line.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
      i++;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (c === ' ' || c === '\t') {
      push();
      i++;
    } else if (c === '#' && !inWord) {
      break; // comment to end of line
    } else if (c === '|') {
      push();
      if (argv.length === 0) throw new ShellSyntaxError("syntax error near unexpected token `|'");
      pipeline.push(argv);
      argv = [];
      i++;
    } else if (c === '<' && line[i + 1] === '<') {
      push();
      i += 2;
      if (line[i] === '-') i++;
      while (line[i] === ' ') i++;
      const m = /^(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line.slice(i));
      if (!m) throw new ShellSyntaxError("syntax error near unexpected token `newline'");
      heredoc = m[2];
      i += m[0].length;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  push();
  if (argv.length) pipeline.push(argv);
  else if (pipeline.length) throw new ShellSyntaxError("syntax error near unexpected token `|'");
  const out: ParsedLine = { pipeline };
  if (heredoc !== undefined) out.heredoc = heredoc;
  return out;
}
