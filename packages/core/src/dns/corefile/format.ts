// Printing a parsed Corefile back as text in kubeadm's layout (part of the public API; kubeadm's
// own Corefile survives a parse/format round trip unchanged).

import type { Corefile, Directive } from './types.js';

function quoteArg(a: string): string {
  return a === '' || /[\s"{}#]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a;
}

function formatDirectives(ds: Directive[], depth: number): string {
  // kubeadm's layout: 4 spaces inside a server block, 3 more per nested block.
  const indent = ' '.repeat(4 + 3 * (depth - 1));
  let out = '';
  for (const d of ds) {
    const head = [d.name, ...d.args.map(quoteArg)].join(' ');
    if (d.block) {
      out += `${indent}${head} {\n${formatDirectives(d.block, depth + 1)}${indent}}\n`;
    } else {
      out += `${indent}${head}\n`;
    }
  }
  return out;
}

/** Print a parsed Corefile back in kubeadm's layout (comments are not kept). */
export function formatCorefile(cf: Corefile): string {
  return cf.serverBlocks.map((b) => `${b.keys.join(' ')} {\n${formatDirectives(b.directives, 1)}}\n`).join('\n');
}
