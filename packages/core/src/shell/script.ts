// Lesson scripts: one command per line, `#` comments, blank lines, `ssh NODE` … `exit`, and
// here-documents. The transcript shows each command after its prompt, then what it printed,
// as a terminal would. The simulated clock advances a second per command (and by `sleep`).

import type { ClusterState } from '../state/types.js';
import { advanceClock } from '../controllers/transitions.js';
import { prompt, type ShellContext, type ShellEnv } from './context.js';
import { execLine } from './exec.js';
import { tokenize } from './tokenize.js';

export interface ScriptStep {
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

export function runScript(state: ClusterState, text: string, env: ShellEnv = {}, ctx: ShellContext = { kind: 'host' }, opts: ScriptOptions = {}): ScriptResult {
  const lines = text.split('\n');
  const steps: ScriptStep[] = [];
  let out = '';
  let cur = state;
  let curCtx = ctx;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let heredoc: string | undefined;
    try {
      heredoc = tokenize(line).heredoc;
    } catch {
      heredoc = undefined;
    }
    let stdin = '';
    let echoed = `${prompt(cur, curCtx)}${line}\n`;
    if (heredoc !== undefined) {
      const body: string[] = [];
      while (++i < lines.length && lines[i]!.trim() !== heredoc) body.push(lines[i]!);
      stdin = body.length ? `${body.join('\n')}\n` : '';
      echoed += `${body.map((b) => `> ${b}\n`).join('')}> ${heredoc}\n`;
    }
    cur = advanceClock(cur, THINK_TIME_MS);
    const p = prompt(cur, curCtx);
    opts.onOutput?.(echoed);
    out += echoed;
    let r: ReturnType<typeof execLine>;
    try {
      r = execLine(cur, line, curCtx, env, stdin);
    } catch (e) {
      // A simulator bug must not cost the rest of the transcript: one line, state unchanged.
      const message = e instanceof Error ? e.message : String(e);
      const printed = `netsim: internal error: ${message}\n`;
      opts.onOutput?.(printed);
      out += printed;
      steps.push({ line, prompt: p, stdout: '', stderr: printed, exitCode: 70, internalError: message });
      continue;
    }
    const printed = r.stderrFirst ? r.stderr + r.stdout : r.stdout + r.stderr;
    opts.onOutput?.(printed);
    out += printed;
    steps.push({ line, prompt: p, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode });
    cur = r.state;
    curCtx = r.ctx;
  }
  return { transcript: out, steps, state: cur, ctx: curCtx };
}
