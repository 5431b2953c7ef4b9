// Helpers shared by the Corefile tests: a kubeadm-shaped server block around some directive
// lines, and the message of the CorefileError a Corefile fails to load with.

import { expect } from 'vitest';
import { parseCorefile } from './load.js';
import { CorefileError } from './types.js';

/** The path every parse error names by default (kubeadm's `coredns -conf /etc/coredns/Corefile`). */
export const F = '/etc/coredns/Corefile';

/** A kubeadm-shaped Corefile with `body` lines in place of the kubernetes stanza onwards. */
export function block(...lines: string[]): string {
  return `.:53 {\n${lines.map((l) => `    ${l}`).join('\n')}\n}\n`;
}

export function parseError(text: string, opts: Parameters<typeof parseCorefile>[1] = {}): string {
  try {
    parseCorefile(text, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(CorefileError);
    return (e as Error).message;
  }
  throw new Error('expected a CorefileError');
}
