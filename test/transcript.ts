// Helpers for lesson scenarios: run the CLI in-process and cut a transcript into commands.

import { expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { main } from '@k8s-netsim/cli';

export function example(name: string): string {
  return fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
}

export function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** The output of one echoed command in a transcript (the `nth` time it appears, from 0). */
export function section(transcript: string, command: string, nth = 0): string {
  const lines = transcript.split('\n');
  const PROMPT = /^(\$ |root@[\w-]+:~# |student@workstation:~\$ )/;
  const isPrompt = (l: string) => PROMPT.test(l);
  const starts = lines.flatMap((l, i) => (isPrompt(l) && l.replace(PROMPT, '') === command ? [i] : []));
  const start = starts[nth];
  expect(start, `command not in transcript: ${command}`).toBeDefined();
  const rest = lines.slice(start! + 1);
  const end = rest.findIndex(isPrompt);
  return rest.slice(0, end < 0 ? undefined : end).join('\n');
}
