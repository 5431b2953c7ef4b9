// Lesson scripts, read as bash reads a script typed at its prompt: a command per line, `#`
// comments, blank lines; a command that is not complete at the end of its line (a trailing `|`
// or `&&`, an open quote, a here-document) takes the lines that follow, echoed after bash's `> `
// prompt. The transcript shows each command after its prompt, then what it printed, as a
// terminal would. The simulated clock advances a second per command (and by `sleep`).

import type { ClusterState } from '../state/types.js';
import { tick } from './clock.js';
import { prompt, type ShellContext, type ShellEnv } from './context.js';
import { runParsed, syntaxErrorResult, type ExecResult } from './exec.js';
import { parseLine, ShellSyntaxError, type ParsedLine } from './parse.js';

export interface ScriptStep {
  /** The command as typed (its continuation lines joined by newlines; here-document bodies left out). */
  line: string;
  prompt: string;
  stdout: string;
  stderr: string;
  exitCode: number;
  /**
   * Set when the simulator itself failed on this line (a bug, not the tool's answer): the
   * transcript says so in one line and the script goes on. Tests and fuzzers look for it.
   */
  internalError?: string;
}

export interface ScriptOptions {
  /** Called with each piece of the transcript as soon as it is known (the CLI streams it). */
  onOutput?: (chunk: string) => void;
}

export interface ScriptResult {
  transcript: string;
  steps: ScriptStep[];
  state: ClusterState;
  ctx: ShellContext;
}

const THINK_TIME_MS = 1000;

/** The command starting at `lines[i]`, with the lines it needs: parsed, or bash's syntax error. */
function readCommand(lines: string[], i: number): { end: number; parsed?: ParsedLine; error?: ShellSyntaxError } {
  let end = i;
  for (;;) {
    const src = end === i ? lines[i]!.trim() : [lines[i]!.trim(), ...lines.slice(i + 1, end + 1)].join('\n');
    const final = end === lines.length - 1;
    try {
      return { end, parsed: parseLine(src, { final, firstLine: i + 1 }) };
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      if (!e.incomplete || final) return { end, error: e };
      // Inside a here-document nothing changes until its delimiter: go straight there (a long
      // body is then parsed twice, not once per line).
      const h = e.heredoc;
      let next = end + 1;
      if (h) while (next < lines.length - 1 && (h.stripTabs ? lines[next]!.replace(/^\t+/, '') : lines[next]) !== h.delim) next++;
      end = next;
    }
  }
}

export function runScript(state: ClusterState, text: string, env: ShellEnv = {}, ctx: ShellContext = { kind: 'host' }, opts: ScriptOptions = {}): ScriptResult {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  // The newline that ends the last line does not start another one.
  if (lines[lines.length - 1] === '') lines.pop();
  const steps: ScriptStep[] = [];
  let out = '';
  let cur = state;
  let curCtx = ctx;
  const emit = (s: string) => {
    opts.onOutput?.(s);
    out += s;
  };
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!.trim();
    if (first === '' || first.startsWith('#')) continue;
    let cmd: ReturnType<typeof readCommand>;
    try {
      cmd = readCommand(lines, i);
    } catch (e) {
      cmd = { end: i };
      const message = e instanceof Error ? e.message : String(e);
      emit(`${prompt(cur, curCtx)}${first}\n`);
      const printed = `netsim: internal error: ${message}\n`;
      emit(printed);
      steps.push({ line: first, prompt: prompt(cur, curCtx), stdout: '', stderr: printed, exitCode: 70, internalError: message });
      continue;
    }
    // Lines that belong to a here-document are input, not command text.
    const body = new Set<number>();
    for (const h of cmd.parsed?.heredocs ?? []) for (let k = h.lines[0]; k <= h.lines[1]; k++) body.add(i + k);
    const typed = [first];
    let echoed = `${prompt(cur, curCtx)}${first}\n`;
    for (let k = i + 1; k <= cmd.end; k++) {
      echoed += `> ${lines[k]}\n`;
      if (!body.has(k)) typed.push(lines[k]!);
    }
    const line = typed.join('\n');
    i = cmd.end;
    cur = tick(cur, THINK_TIME_MS);
    const p = prompt(cur, curCtx);
    emit(echoed);
    let r: ExecResult;
    try {
      r = cmd.parsed ? runParsed(cur, cmd.parsed, curCtx, env) : syntaxErrorResult(cmd.error!, cur, curCtx);
    } catch (e) {
      // A simulator bug must not cost the rest of the transcript: one line, state unchanged.
      const message = e instanceof Error ? e.message : String(e);
      const printed = `netsim: internal error: ${message}\n`;
      emit(printed);
      steps.push({ line, prompt: p, stdout: '', stderr: printed, exitCode: 70, internalError: message });
      continue;
    }
    emit(r.output);
    steps.push({ line, prompt: p, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode });
    cur = r.state;
    curCtx = r.ctx;
  }
  return { transcript: out, steps, state: cur, ctx: curCtx };
}
